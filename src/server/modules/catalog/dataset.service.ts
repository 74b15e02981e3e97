import { randomUUID } from 'node:crypto';
import {
  CreateDatasetBody,
  type CreateDatasetInput,
  type DatasetDto,
  UpdateDatasetBody,
  type UpdateDatasetInput,
} from '../../../contracts/catalog.ts';
import { type Actor, authorize, requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, conflict, forbidden, invalid } from '../../platform/errors.ts';
import { isUniqueViolation, type RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { canEditDataset, canReviewDataset, canViewDataset } from './catalog.policy.ts';
import { fieldsOfView } from './catalog.presenter.ts';
import { cleanKeywords, type DatasetFields, DEFAULT_FIELDS } from './catalog-rules.ts';
import {
  type DatasetView,
  deleteDatasetRow,
  findDatasetView,
  findDepartmentScope,
  insertDataset,
  nextCodeNumber,
  updateDatasetRow,
} from './dataset.repository.ts';
import { notifyDatasetChanged } from './dataset-events.ts';
import {
  assertFieldsValid,
  assertStatus,
  auditDataset,
  datasetNotFound,
  loadDatasetDto,
  lockForWrite,
  recordVersion,
} from './dataset-write.ts';
import { bumpCatalogGeneration } from './search/search-cache.ts';
import { searchColumnsOf } from './search-document.ts';

/** Provenance of a harvested resource: where it came from, so later runs update it in step. */
export interface HarvestOrigin {
  sourceId: string;
  remoteId: string;
}

// Defined keys only: an absent optional field keeps its default (create) or stored value (update).
const definedEntries = <T extends object>(input: T) =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Registers a resource in its provider department's catalog, as a draft. Data stewards only. */
export async function createDataset(
  ctx: AppContext,
  actor: Actor,
  input: CreateDatasetInput,
  meta?: RequestMeta,
  origin?: HarvestOrigin,
): Promise<DatasetDto> {
  assertValid(CreateDatasetBody, input);
  const dept = await findDepartmentScope(ctx.db, input.departmentId);
  if (!dept?.active) throw invalid('catalog.invalid_department', 'The provider department does not exist');
  authorize(actor, (a) => canEditDataset(a, dept.path));
  const { departmentId: _dept, ...given } = definedEntries(input);
  const fields: DatasetFields = {
    ...DEFAULT_FIELDS,
    ...given,
    name: input.name,
    titleZh: input.titleZh,
    resourceCode: input.resourceCode,
    keywords: cleanKeywords(input.keywords ?? []),
  };
  await assertFieldsValid(ctx.db, fields);
  const id = randomUUID();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const code = fields.resourceCode ?? (await generateResourceCode(trx, dept));
      const theme = fields.themeId ? await themeNames(trx, fields.themeId) : undefined;
      await insertDataset(
        trx,
        {
          id,
          ...rowOf({ ...fields, resourceCode: code }),
          name: fields.name,
          department_id: dept.id,
          status: 'draft',
          created_by: actor.personId || null,
          harvest_source_id: origin?.sourceId ?? null,
          harvest_remote_id: origin?.remoteId ?? null,
        },
        searchColumnsOf(
          { ...fields, resourceCode: code },
          { departmentNameZh: dept.name_zh, departmentNameEn: dept.name_en, ...theme },
        ),
      );
      await recordVersion(trx, actor, id, 'created');
      const view = { id, name: fields.name, department_id: dept.id };
      await auditDataset(trx, actor, meta, view, 'catalog.dataset.create', { resourceCode: code, origin });
    });
  } catch (err) {
    throw uniqueConflict(err) ?? err;
  }
  return (await loadDatasetDto(ctx.db, { id })) as DatasetDto;
}

// Attributes that decide who may see and use a resource: once published, only its department's
// admins change them, so a steward cannot open a resource without review.
const GOVERNED_FIELDS = [
  'shareType',
  'shareCondition',
  'shareLegalBasis',
  'openType',
  'openCondition',
  'sensitivity',
];

/** Changes a resource's metadata; records a version with the diff. Data stewards of the provider. */
export async function updateDataset(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateDatasetInput,
  meta?: RequestMeta,
  change: 'updated' | 'harvested' = 'updated',
): Promise<DatasetDto> {
  assertValid(UpdateDatasetBody, input);
  let edited = false;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const view = await lockForWrite(trx, id);
      authorize(actor, (a) => canEditDataset(a, view.department_path));
      assertStatus(view, ['draft', 'submitted', 'published'], 'edit');
      const before = fieldsOfView(view);
      const given = definedEntries(input);
      const after: DatasetFields = {
        ...before,
        ...given,
        keywords: given.keywords ? cleanKeywords(given.keywords) : before.keywords,
      };
      const changed = Object.keys(given).filter(
        (k) =>
          JSON.stringify(before[k as keyof DatasetFields]) !==
          JSON.stringify(after[k as keyof DatasetFields]),
      );
      if (changed.length === 0) return;
      if (
        view.status === 'published' &&
        changed.some((k) => GOVERNED_FIELDS.includes(k)) &&
        !canReviewDataset(actor, view.department_path)
      )
        throw forbidden(
          'Sharing, opening and sensitivity of a published resource are changed by its department admin',
        );
      await assertFieldsValid(trx, after);
      const code = after.resourceCode ?? view.resource_code;
      const theme = after.themeId ? await themeNames(trx, after.themeId) : undefined;
      await updateDatasetRow(
        trx,
        id,
        rowOf({ ...after, resourceCode: code }),
        searchColumnsOf(
          { ...after, resourceCode: code },
          { departmentNameZh: view.department_name_zh, departmentNameEn: view.department_name_en, ...theme },
        ),
      );
      await recordVersion(trx, actor, id, change);
      await auditDataset(trx, actor, meta, view, 'catalog.dataset.update', { fields: changed });
      edited = true;
    });
  } catch (err) {
    throw uniqueConflict(err) ?? err;
  }
  if (edited) await notifyDatasetChanged(ctx, id);
  return (await loadDatasetDto(ctx.db, { id })) as DatasetDto;
}

/** One resource by id or name, if the actor may see it (401/403 otherwise, as CKAN answers). */
export async function getDataset(
  ctx: AppContext,
  actor: Actor | undefined,
  by: { id: string } | { name: string },
): Promise<DatasetDto> {
  const view = await findDatasetView(ctx.db, by);
  if (!view) throw datasetNotFound();
  assertCanView(actor, view);
  return (await loadDatasetDto(ctx.db, { id: view.id })) as DatasetDto;
}

/** Throws 401/403 unless the actor may see the resource. */
export function assertCanView(actor: Actor | undefined, view: DatasetView): void {
  const scope = {
    departmentPath: view.department_path,
    status: view.status,
    shareType: view.share_type,
    openType: view.open_type,
  };
  if (canViewDataset(actor, scope)) return;
  requireActor(actor);
  throw forbidden('You are not allowed to see this resource');
}

/** Deletes a draft that was never published (stewards). Published resources are withdrawn instead. */
export async function deleteDraft(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta?: RequestMeta,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const view = await lockForWrite(trx, id);
    authorize(actor, (a) => canEditDataset(a, view.department_path));
    if (view.status !== 'draft' || view.published_at !== null)
      throw new AppError(
        'catalog.invalid_state',
        409,
        'Only a draft that was never published can be deleted; withdraw it instead',
      );
    await auditDataset(trx, actor, meta, view, 'catalog.dataset.delete', {
      resourceCode: view.resource_code,
    });
    await deleteDatasetRow(trx, id);
    await bumpCatalogGeneration(trx);
  });
}

/** Stored columns of the editable fields. */
function rowOf(f: DatasetFields & { resourceCode: string }) {
  return {
    resource_code: f.resourceCode,
    title_zh: f.titleZh,
    title_en: f.titleEn,
    description_zh: f.descriptionZh,
    description_en: f.descriptionEn,
    catalog_kind: f.catalogKind,
    theme_id: f.themeId,
    keywords: f.keywords,
    format_class: f.formatClass,
    data_items: JSON.stringify(f.dataItems),
    share_type: f.shareType,
    share_condition: f.shareCondition,
    share_legal_basis: f.shareLegalBasis,
    open_type: f.openType,
    open_condition: f.openCondition,
    update_cycle: f.updateCycle,
    related: f.related,
    license_id: f.licenseId,
    temporal_start: f.temporalStart,
    temporal_end: f.temporalEnd,
    spatial_codes: f.spatialCodes,
    contact: f.contact ? JSON.stringify(f.contact) : null,
    sensitivity: f.sensitivity,
    extras: JSON.stringify(f.extras),
  };
}

/** Region code + department code + five-digit sequence, e.g. `339900-LS-MSA-00012`. */
async function generateResourceCode(
  trx: AppContext['db'],
  dept: { code: string; region_code: string | null },
): Promise<string> {
  const prefix = `${dept.region_code ?? '000000'}-${dept.code.toUpperCase()}`;
  const n = await nextCodeNumber(trx, prefix);
  return `${prefix}-${String(n).padStart(5, '0')}`;
}

async function themeNames(db: AppContext['db'], themeId: string) {
  const t = await db
    .selectFrom('catalog_themes')
    .select(['name_zh', 'name_en'])
    .where('id', '=', themeId)
    .executeTakeFirst();
  return t && { themeNameZh: t.name_zh, themeNameEn: t.name_en };
}

function uniqueConflict(err: unknown): AppError | undefined {
  if (isUniqueViolation(err, 'catalog_datasets_name_key'))
    return conflict('catalog.name_taken', 'That URL name is already in use', {
      fields: [{ path: '/name', message: 'That URL name is already in use' }],
    });
  if (isUniqueViolation(err, 'catalog_datasets_resource_code_key'))
    return conflict('catalog.code_taken', 'That resource code is already in use', {
      fields: [{ path: '/resourceCode', message: 'That resource code is already in use' }],
    });
  return undefined;
}
