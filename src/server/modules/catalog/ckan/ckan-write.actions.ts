import type { CreateDatasetInput, DatasetDto } from '../../../../contracts/catalog.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { canEditDataset, canReviewDataset } from '../catalog.policy.ts';
import { findDepartmentScope } from '../dataset.repository.ts';
import { createDataset, deleteDraft, updateDataset } from '../dataset.service.ts';
import { reviewDataset, submitDataset, withdrawDataset } from '../lifecycle.service.ts';
import { findOrganization } from './ckan.repository.ts';
import { type CkanAction, type CkanCall, findPackage, requireCaller, requireParam } from './ckan-action.ts';
import { accessDenied, missingValue, validationError } from './ckan-envelope.ts';
import { toPackageDict } from './ckan-mapping.ts';
import {
  type CkanData,
  ckanString,
  type DatasetInputFields,
  defined,
  sentFields,
  sentPrivate,
  withAccessDefaults,
  withUpdateResets,
} from './ckan-package-input.ts';
import { checkResources, RESOURCE_ACTIONS, syncResources } from './ckan-resource.actions.ts';

// The dataset writes of CKAN's create.py, update.py and delete.py over the catalog's services, so
// that every write keeps Civitas's rules, review, versions and audit trail.

const write = (doc: string, run: CkanAction['run']): CkanAction => ({ doc, run, sideEffectFree: false });

function throwIfAny(errors: Record<string, unknown>) {
  const fields = Object.keys(errors);
  if (fields.length > 0) throw validationError(errors, `Invalid fields: ${fields.join(', ')}`);
}

/** The provider department: owner_org as id, code or name; else the caller's only steward department. */
async function ownerOf(call: CkanCall, actor: Actor): Promise<string> {
  const ref = ckanString(call.data.owner_org)?.trim();
  if (ref) {
    const org = await findOrganization(call.ctx.db, ref);
    if (!org)
      throw validationError({ owner_org: ['Organization does not exist'] }, 'Organization does not exist');
    return org.id;
  }
  const own = [...new Set(actor.roles.filter((r) => r.role === 'data_steward').map((r) => r.departmentId))];
  if (own.length === 1) return own[0] as string;
  throw missingValue('owner_org');
}

/**
 * CKAN's `state: "active"`: the caller wants the dataset live. It is submitted for review, and
 * published when the caller is also a department admin of the provider.
 */
async function activate(call: CkanCall, actor: Actor, ds: DatasetDto): Promise<DatasetDto> {
  let current = ds;
  if (current.status === 'draft' || current.status === 'withdrawn')
    current = await submitDataset(call.ctx, actor, current.id, call.meta);
  if (current.status === 'submitted' && canReviewDataset(actor, await departmentPath(call, current)))
    current = await reviewDataset(call.ctx, actor, current.id, { decision: 'publish' }, call.meta);
  return current;
}

const departmentPath = async (call: CkanCall, ds: DatasetDto) =>
  (await findDepartmentScope(call.ctx.db, ds.department.id))?.path ?? ds.department.id;

const wantsActive = (data: CkanData) => ckanString(data.state)?.trim().toLowerCase() === 'active';

async function packageCreate(call: CkanCall) {
  const actor = requireCaller(call.actor);
  const name = ckanString(call.data.name)?.trim();
  if (!name) throw missingValue('name');
  const { fields, errors } = sentFields(call.data);
  const resources = checkResources(call.data, errors);
  throwIfAny(errors);
  const departmentId = await ownerOf(call, actor);
  const input = withAccessDefaults({ titleZh: name, ...fields }, sentPrivate(call.data) ?? false);
  let ds = await createDataset(
    call.ctx,
    actor,
    defined({ ...input, name, departmentId }) as CreateDatasetInput,
    call.meta,
  );
  try {
    if (resources) ds = await syncResources(call, actor, ds, resources);
  } catch (err) {
    // CKAN creates a dataset and its resources at once: undo the half-made draft.
    await deleteDraft(call.ctx, actor, ds.id, call.meta).catch(() => undefined);
    throw err;
  }
  if (wantsActive(call.data)) ds = await activate(call, actor, ds);
  return toPackageDict(ds, call.site);
}

/** package_update (replace) and package_patch (only what is sent). */
async function packageChange(call: CkanCall, mode: 'update' | 'patch') {
  const actor = requireCaller(call.actor);
  const ref = ckanString(call.data.id)?.trim() || ckanString(call.data.name)?.trim();
  if (!ref) throw missingValue('id');
  let ds = await findPackage(call, ref);
  // CKAN checks package_update rights before anything else; here they are editing or reviewing.
  const path = await departmentPath(call, ds);
  if (!canEditDataset(actor, path) && !canReviewDataset(actor, path))
    throw accessDenied(`You may not change the dataset ${ds.name}`);
  const { fields, errors: fieldErrors } = sentFields(call.data);
  const errors: Record<string, unknown> = fieldErrors;
  const name = ckanString(call.data.name)?.trim();
  if (name && name !== ds.name) errors.name = ['The name (URL) of a dataset cannot change'];
  if (ckanString(call.data.owner_org)?.trim()) {
    const org = await findOrganization(call.ctx.db, ckanString(call.data.owner_org)?.trim() as string);
    if (org?.id !== ds.department.id) errors.owner_org = ['A dataset cannot move to another organization'];
  }
  const resources = checkResources(call.data, errors);
  throwIfAny(errors);
  // CKAN's maintainer fields are the contact's name and email: its phone stays.
  if (fields.contact && ds.contact) fields.contact = { ...ds.contact, ...fields.contact };
  const base: DatasetInputFields = mode === 'update' ? withUpdateResets(fields, ds.name) : fields;
  const input = withAccessDefaults(base, sentPrivate(call.data), ds);
  const changes = changedOnly(defined(input), ds);
  if (Object.keys(changes).length > 0) ds = await updateDataset(call.ctx, actor, ds.id, changes, call.meta);
  if (resources) ds = await syncResources(call, actor, ds, resources);
  if (wantsActive(call.data) && ds.status !== 'published') ds = await activate(call, actor, ds);
  return toPackageDict(ds, call.site);
}

// A field sent with the value it already has is no change: a round trip (package_show, edit one key,
// package_update) must not need rights over the keys it did not touch.
function changedOnly(input: DatasetInputFields, ds: DatasetDto): DatasetInputFields {
  const stored: Record<string, unknown> = { ...ds, themeId: ds.theme?.id ?? null };
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return Object.fromEntries(
    Object.entries(input).filter(
      ([k, v]) =>
        !same(
          k === 'extras' || k === 'contact' ? sortKeys(v) : v,
          k === 'extras' || k === 'contact' ? sortKeys(stored[k]) : stored[k],
        ),
    ),
  ) as DatasetInputFields;
}

const sortKeys = (v: unknown) =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
    : v;

async function packageDelete(call: CkanCall) {
  const actor = requireCaller(call.actor);
  const ds = await findPackage(call, requireParam(call.data, 'id'));
  if (ds.status === 'withdrawn') return null;
  if (ds.status === 'draft' && ds.publishedAt === null) await deleteDraft(call.ctx, actor, ds.id, call.meta);
  else
    await withdrawDataset(call.ctx, actor, ds.id, 'Deleted through the CKAN API (package_delete)', call.meta);
  return null;
}

export const WRITE_ACTIONS: Record<string, CkanAction> = {
  package_create: write(
    'Create a dataset (as a draft of the provider department).\n\n:param name: URL name (required)\n:param title, notes, tags, groups, license_id, extras, private, resources: as in CKAN\n:param owner_org: organization id or name (optional when the caller stewards one department only)\n:param state: "active" submits it for review, and publishes it when the caller may\nCivitas keys (resource_code, share_type, share_condition, open_type, update_cycle, …) are optional.',
    packageCreate,
  ),
  package_update: write(
    'Update a dataset: the fields CKAN clients edit are replaced; access and Civitas-only keys are kept unless sent.\n\n:param id: the id or name of the dataset',
    (call) => packageChange(call, 'update'),
  ),
  package_patch: write(
    'Change only the given fields of a dataset.\n\n:param id: the id or name of the dataset',
    (call) => packageChange(call, 'patch'),
  ),
  package_delete: write(
    'Delete a dataset: a draft that was never published is deleted, anything else is withdrawn.\n\n:param id: the id or name of the dataset',
    packageDelete,
  ),
  ...RESOURCE_ACTIONS,
};
