import { sql } from 'kysely';
import type { DictionaryColumn } from '../../../../contracts/datastore.ts';
import {
  type DatastoreQuality,
  QualityRulesBody,
  type QualityRulesInput,
} from '../../../../contracts/datastore-quality.ts';
import { type Actor, systemActor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { auditAction } from '../../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../../platform/http/request-meta.ts';
import { assertValid } from '../../../platform/validate.ts';
import { getDataset, listLicenses } from '../../catalog/index.ts';
import { canWriteDatastore } from '../datastore.policy.ts';
import { dictionaryOf } from '../datastore.presenter.ts';
import { findTable, lockTable } from '../datastore.repository.ts';
import { noTable, readableTable, writableScope } from '../datastore-access.ts';
import { jitOff } from '../types/index.ts';
import type { LoadDecisions } from './profile.ts';
import { toQualityDto } from './quality.presenter.ts';
import {
  datasetScoreOf,
  datasetTables,
  rulesOf,
  type StoredQuality,
  saveQuality,
  saveRules,
  setDatasetScore,
  storedQualityOf,
  versionCreatedAt,
} from './quality.repository.ts';
import { checkTable, type TableCheck } from './rule-check.ts';
import { validateRules } from './rules.ts';
import { type MetadataFacts, qualityScore, type TableFacts } from './score.ts';

// Quality is computed after every load and every rule edit, never while someone waits for a page:
// reading it only presents what was stored. The table's score uses its resource's metadata as it is
// at that moment; the resource's score (over all its tables) goes to the catalog row for search.

/** A pathological rule must not hold a worker for ever. */
const STATEMENT_TIMEOUT = '10min';
const DAY_MS = 86_400_000;

async function metadataOf(ctx: AppContext, datasetId: string): Promise<MetadataFacts> {
  const ds = await getDataset(ctx, systemActor('datastore-quality'), { id: datasetId });
  const licence = listLicenses().find((l) => l.id === ds.licenseId);
  return {
    licenseId: ds.licenseId,
    licenseOpen: ds.licenseId ? (licence?.open ?? false) : null,
    descriptionZh: ds.descriptionZh,
    descriptionEn: ds.descriptionEn,
    temporalStart: ds.temporalStart,
    temporalEnd: ds.temporalEnd,
    spatialCodes: ds.spatialCodes,
    updateCycle: ds.updateCycle,
    overdue: ds.overdue,
    distributions: ds.distributions.map((d) => ({ kind: d.kind, format: d.format })),
    contact: ds.contact,
  };
}

/** A table's facts for the score: its dictionary's descriptions as they are now, its last figures. */
function tableFacts(dictionary: readonly DictionaryColumn[], stored: StoredQuality, now: number): TableFacts {
  return {
    columns: (stored.columns ?? []).map((c) => ({
      description: dictionary.find((d) => d.id === c.id)?.description,
      completeness: c.completeness,
      conformity: c.conformity,
    })),
    rules: stored.rules ?? [],
    daysSinceVersion: stored.versionAt
      ? Math.max(0, Math.round(((now - Date.parse(stored.versionAt)) / DAY_MS) * 10) / 10)
      : 0,
  };
}

/** Profiles the current version and checks its rules in one repeatable-read snapshot. */
async function runCheck(
  ctx: AppContext,
  distributionId: string,
  version: number,
  dictionary: DictionaryColumn[],
  rules: ReturnType<typeof rulesOf>,
  known?: LoadDecisions,
): Promise<TableCheck> {
  return ctx.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await jitOff().execute(trx);
      await sql`set local statement_timeout = ${sql.lit(STATEMENT_TIMEOUT)}`.execute(trx);
      return checkTable(trx, distributionId, version, dictionary, rules, known);
    });
}

/**
 * Computes and stores the quality of a distribution's current table, then its resource's score.
 * A failure is stored as the table's quality error and thrown.
 */
export async function refreshQuality(
  ctx: AppContext,
  distributionId: string,
  known?: LoadDecisions,
): Promise<void> {
  const table = await findTable(ctx.db, distributionId);
  if (!table || table.current_version === null) return;
  const version = table.current_version;
  const started = Date.now();
  try {
    const dictionary = dictionaryOf(table.columns);
    const check = await runCheck(ctx, distributionId, version, dictionary, rulesOf(table.rules), known);
    const versionAt = await versionCreatedAt(ctx.db, distributionId, version);
    const metadata = await metadataOf(ctx, table.dataset_id);
    const stored: StoredQuality = {
      version,
      computedAt: new Date().toISOString(),
      ...(versionAt ? { versionAt: versionAt.toISOString() } : {}),
      durationMs: Date.now() - started,
      rows: check.profile.rows,
      columns: check.profile.columns,
      rules: check.rules,
    };
    stored.score = qualityScore(metadata, [tableFacts(dictionary, stored, Date.now())]);
    if (await saveQuality(ctx.db, distributionId, stored))
      await refreshDatasetScore(ctx, table.dataset_id, metadata);
  } catch (err) {
    const failed: StoredQuality = {
      version,
      computedAt: new Date().toISOString(),
      error: (err as Error).message,
    };
    await saveQuality(ctx.db, distributionId, failed).catch(() => {});
    throw err;
  }
}

/** The resource's score over every table with figures, stored on its catalog row. */
async function refreshDatasetScore(ctx: AppContext, datasetId: string, metadata: MetadataFacts) {
  const now = Date.now();
  const facts = (await datasetTables(ctx.db, datasetId)).flatMap((t) => {
    const stored = storedQualityOf(t.quality);
    return stored?.columns && stored.version === t.current_version
      ? [tableFacts(dictionaryOf(t.columns), stored, now)]
      : [];
  });
  await setDatasetScore(ctx.db, datasetId, qualityScore(metadata, facts).total);
}

/**
 * Recomputes the scores of a resource's tables and of the resource from its metadata as it is now,
 * keeping the stored figures (metadata edits change the metadata criteria, not the data).
 */
export async function rescoreDataset(ctx: AppContext, datasetId: string): Promise<void> {
  const tables = await datasetTables(ctx.db, datasetId);
  if (tables.length === 0) return;
  const metadata = await metadataOf(ctx, datasetId);
  const now = Date.now();
  for (const t of tables) {
    const stored = storedQualityOf(t.quality);
    if (!stored?.columns || stored.version !== t.current_version) continue;
    const score = qualityScore(metadata, [tableFacts(dictionaryOf(t.columns), stored, now)]);
    await saveQuality(ctx.db, t.distribution_id, { ...stored, score });
  }
  await refreshDatasetScore(ctx, datasetId, metadata);
}

/** A table's quality as the caller may see it. */
export async function getQuality(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
): Promise<DatastoreQuality> {
  const { scope, table, cls } = await readableTable(ctx.db, actor, distributionId);
  return toQualityDto({
    distributionId,
    datasetId: scope.datasetId,
    cls,
    dictionary: dictionaryOf(table.columns),
    stored: storedQualityOf(table.quality),
    datasetScore: await datasetScoreOf(ctx.db, scope.datasetId),
    canEdit: !!actor && canWriteDatastore(actor, scope.departmentPath),
  });
}

/** Replaces a table's rules (the provider's stewards), then checks them at once. */
export async function updateRules(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
  input: QualityRulesInput,
  meta?: RequestMeta,
): Promise<DatastoreQuality> {
  assertValid(QualityRulesBody, input);
  const scope = await writableScope(ctx.db, actor, distributionId);
  const current = await findTable(ctx.db, distributionId);
  if (!current || current.current_version === null) throw noTable();
  // Outside the transaction: a regex PostgreSQL refuses raises, which would abort it.
  await validateRules(ctx.db, input.rules, dictionaryOf(current.columns));
  await ctx.db.transaction().execute(async (trx) => {
    const table = await lockTable(trx, distributionId, scope.datasetId);
    await saveRules(trx, distributionId, input.rules);
    await auditAction(trx, actor, meta, {
      action: 'datastore.rules.updated',
      target: { type: 'distribution', id: distributionId },
      departmentId: scope.departmentId,
      details: { version: table.current_version, before: rulesOf(table.rules).length, rules: input.rules },
    });
  });
  // The rules are kept whatever happens next; a failed check shows as the quality's error.
  await refreshQuality(ctx, distributionId).catch(() => {});
  return getQuality(ctx, actor, distributionId);
}
