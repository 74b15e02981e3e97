import { sql } from 'kysely';
import {
  type DatastoreInfo,
  type DictionaryColumn,
  type DictionaryUpdate,
  DictionaryUpdateBody,
} from '../../../contracts/datastore.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, invalid } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { dropViews, replaceViews } from './access-views.ts';
import { createColumnIndex, dropColumnIndex } from './build-version.ts';
import { dictionaryOf } from './datastore.presenter.ts';
import { findTable, lockTable, updateTableRow } from './datastore.repository.ts';
import { noTable, writableScope } from './datastore-access.ts';
import { getDatastoreInfo } from './load.service.ts';
import { refreshQuality, rescoreDataset } from './quality/quality.service.ts';
import { versionTable } from './table-names.ts';
import { fromTableSchema, toTableSchema } from './table-schema.ts';
import { DEFAULT_NULL_TOKENS, jitOff, recastCheckQuery, recastExpression } from './types/index.ts';

// Stewards correct the data dictionary: labels, descriptions, units, sensitivity and masking, and
// types. A type change re-casts the current table in place (no new upload); values that would not
// cast are reported first, and only become NULL when the steward says so.

const EXAMPLES = 20;

/** Applies dictionary corrections to the current version of a table. */
export async function updateDictionary(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
  update: DictionaryUpdate,
  meta?: RequestMeta,
): Promise<DatastoreInfo> {
  assertValid(DictionaryUpdateBody, update);
  const scope = await writableScope(ctx.db, actor, distributionId);
  const edit = { changed: false, retyped: false };
  await ctx.db.transaction().execute(async (trx) => {
    await jitOff().execute(trx);
    const table = await lockTable(trx, distributionId, scope.datasetId);
    if (table.current_version === null) throw noTable();
    const version = table.current_version;
    const columns = dictionaryOf(table.columns).map((c) => ({ ...c }));
    const changes: Record<string, unknown>[] = [];
    let nulled = 0;
    for (const u of update.columns) {
      const column = columns.find((c) => c.id === u.id);
      if (!column) {
        throw invalid('datastore.unknown_column', `The table has no column "${u.id}"`, {
          fields: [{ path: `columns/${u.id}`, message: 'unknown column' }],
        });
      }
      if (u.type && u.type !== column.type) {
        const target = versionTable(distributionId, version);
        const check = await recastCheckQuery(
          target,
          column.id,
          u.type,
          DEFAULT_NULL_TOKENS,
          EXAMPLES,
        ).execute(trx);
        const { count, examples } = check.rows[0] ?? { count: 0, examples: [] };
        if (count > 0 && update.onCastFailure !== 'null') {
          throw new AppError(
            'datastore.cast_failed',
            409,
            `${count} value(s) of "${column.id}" are not valid ${u.type}: set them to NULL or keep the type`,
            {
              column: column.id,
              type: u.type,
              failures: count,
              examples: examples.map((e) => ({ row: Number(e.key), value: e.value })),
            },
          );
        }
        nulled += count;
        await dropViews(trx, distributionId);
        await sql`alter table ${target} alter column ${sql.id(column.id)} type ${sql.raw(pgType(u.type))}
                  using ${recastExpression(sql.id(column.id), u.type, DEFAULT_NULL_TOKENS)}`.execute(trx);
        changes.push({ column: column.id, type: { from: column.type, to: u.type }, nulled: count });
        edit.retyped = true;
        column.type = u.type;
      }
      if (u.indexed !== undefined && u.indexed !== (column.indexed ?? false)) {
        if (u.indexed) await createColumnIndex(trx, distributionId, version, column.id);
        else await dropColumnIndex(trx, distributionId, version, column.id);
        changes.push({ column: column.id, indexed: u.indexed });
        column.indexed = u.indexed;
      }
      const described: (keyof DictionaryColumn)[] = [
        'label',
        'labelEn',
        'description',
        'unit',
        'example',
        'sensitivity',
        'mask',
      ];
      const fields = described.filter(
        (f) => u[f as keyof typeof u] !== undefined && u[f as keyof typeof u] !== column[f],
      );
      for (const f of fields) (column as Record<string, unknown>)[f] = u[f as keyof typeof u];
      // null clears the subject designation (the column identifies no one).
      if (u.subject !== undefined && (u.subject ?? undefined) !== column.subject) {
        if (u.subject === null) delete column.subject;
        else column.subject = u.subject;
        fields.push('subject');
      }
      if (fields.length) changes.push({ column: column.id, fields });
    }
    if (changes.length === 0) return;
    await replaceViews(trx, distributionId, version, columns);
    await updateTableRow(trx, distributionId, { columns });
    await trx
      .updateTable('datastore_versions')
      .set({ columns: JSON.stringify(columns) })
      .where('distribution_id', '=', distributionId)
      .where('version', '=', version)
      .execute();
    await auditAction(trx, actor, meta, {
      action: 'datastore.dictionary.updated',
      target: { type: 'distribution', id: distributionId },
      departmentId: scope.departmentId,
      details: { version, changes, ...(nulled ? { nulledValues: nulled } : {}) },
    });
    edit.changed = true;
  });
  // A new type changes the figures (conformity, min/max): profile again, as after a load. Other
  // edits (descriptions, sensitivity …) change only the score's documentation criterion: rescore.
  // Quality is a by-product: its failure is stored with the table, never the edit's.
  if (edit.retyped) await refreshQuality(ctx, distributionId).catch(() => {});
  else if (edit.changed) await rescoreDataset(ctx, scope.datasetId);
  return getDatastoreInfo(ctx, actor, distributionId);
}

const pgType = (type: DictionaryColumn['type']) => (type === 'timestamp' ? 'timestamp' : type);

/** The dictionary as the actor may see it, as a Frictionless Table Schema. */
export async function exportTableSchema(ctx: AppContext, actor: Actor | undefined, distributionId: string) {
  const info = await getDatastoreInfo(ctx, actor, distributionId);
  if (info.currentVersion === null) throw noTable();
  return toTableSchema(info.columns, info.key);
}

/** Applies a Frictionless Table Schema to the dictionary (as updateDictionary, fields matched by name). */
export async function importTableSchema(
  ctx: AppContext,
  actor: Actor | undefined,
  distributionId: string,
  schema: unknown,
  onCastFailure: 'cancel' | 'null' | undefined,
  meta?: RequestMeta,
): Promise<DatastoreInfo> {
  await writableScope(ctx.db, actor, distributionId);
  const table = await findTable(ctx.db, distributionId);
  if (!table || table.current_version === null) throw noTable();
  const columns = fromTableSchema(schema, dictionaryOf(table.columns));
  return updateDictionary(
    ctx,
    actor,
    distributionId,
    { columns, ...(onCastFailure ? { onCastFailure } : {}) },
    meta,
  );
}
