import { type RawBuilder, sql } from 'kysely';
import { normalizeIdentifier } from '../../../contracts/identifiers.ts';
import type { AppContext } from '../../platform/context.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { type GatewayColumn, type GrantDefinition, guarded, param, queryOf, run } from './gateway.grants.ts';

// The gateway's data queries: one statement per call, the grant's projection with the caller's
// key or filters, behind the grant guard (gateway.grants.ts). Identifier values are normalised as
// accounts store them (no spaces, upper case), and matched in lower case too, since tables loaded
// from files often hold a resident ID's final x in lower case.

export type Row = Record<string, unknown>;

export interface DataResult {
  /** False when the guard found the grant no longer readable with this credential. */
  grantOk: boolean;
  rows: Row[];
}

/** The values a key may be stored as. */
function matchValues(column: GatewayColumn, value: string): string[] {
  if (!column.subject) return [value];
  const norm = normalizeIdentifier(value);
  const lower = norm.toLowerCase();
  return lower === norm ? [norm] : [norm, lower];
}

/** `column` equals one of the values (text columns compared as they are, so their index is used). */
const matches = (column: GatewayColumn, name: string): RawBuilder<unknown> =>
  column.type === 'text'
    ? sql`${sql.id(column.id)} = any(${param(name)}::text[])`
    : sql`${sql.id(column.id)}::text = any(${param(name)}::text[])`;

const split = (raw: Row[]): DataResult => {
  const grantOk = raw[0]?.__grant_ok === true;
  return { grantOk, rows: grantOk ? raw.filter((r) => r._id != null) : [] };
};

/** Rows whose `column` equals `value`, at most `limit`. */
export async function lookupRows(
  ctx: AppContext,
  def: GrantDefinition,
  column: GatewayColumn,
  value: string,
  limit: number,
): Promise<DataResult> {
  const p = def.projection!;
  const q = queryOf(ctx.db, def, `lookup:${column.id}`, () =>
    guarded(
      (ok) => sql`select ${p.select} from ${p.from}
        where ${ok} and (${p.where}) and ${matches(column, 'v0')}
        order by _id limit ${param('limit')}::int`,
    ),
  );
  const raw = await run<Row>(
    ctx.db,
    q,
    { grantId: def.id, credentialHash: def.credentialHash, v0: matchValues(column, value), limit },
    ctx.database.pool,
  );
  return split(raw);
}

/** A page of rows matching every filter (column → value), one more than `limit` to tell if more follow. */
export async function recordRows(
  ctx: AppContext,
  def: GrantDefinition,
  filters: [GatewayColumn, string][],
  limit: number,
  offset: number,
): Promise<DataResult> {
  const p = def.projection!;
  const key = `records:${filters.map(([c]) => c.id).join('\u0000')}`;
  const q = queryOf(ctx.db, def, key, () => {
    const conds = filters.map(([c], i) => matches(c, `v${i}`));
    const where = conds.length ? sql` and ${sql.join(conds, sql` and `)}` : sql``;
    return guarded(
      (ok) => sql`select ${p.select} from ${p.from}
        where ${ok} and (${p.where})${where}
        order by _id limit ${param('limit')}::int offset ${param('offset')}::int`,
    );
  });
  const values: Record<string, unknown> = {
    grantId: def.id,
    credentialHash: def.credentialHash,
    limit: limit + 1,
    offset,
  };
  filters.forEach(([c, v], i) => {
    values[`v${i}`] = matchValues(c, v);
  });
  return split(await run<Row>(ctx.db, q, values, ctx.database.pool));
}

/** The records as the holder receives them: `_id` and the granted columns, subject columns stripped. */
export function present(def: GrantDefinition, rows: Row[]): Row[] {
  const ids = ['_id', ...def.columns!.map((c) => c.id)];
  return rows.map((r) => {
    const out: Row = {};
    for (const id of ids) out[id] = r[id];
    return out;
  });
}

/** The keyed blind indexes of the data subjects in `rows` (never the identifiers themselves). */
export function subjectsOf(def: GrantDefinition, cipher: FieldCipher, rows: Row[]): string[] {
  const subjects = def.projection!.subjects;
  if (subjects.length === 0) return [];
  const out = new Set<string>();
  for (const r of rows) {
    for (const s of subjects) {
      const v = r[s.alias];
      if (typeof v !== 'string' || v === '') continue;
      out.add(`${s.kind}:${cipher.blindIndex(s.kind, normalizeIdentifier(v))}`);
    }
  }
  return [...out];
}

/** Parses the records filters: a JSON object of column → scalar value. */
export function parseFilters(raw: string | undefined): [string, string][] {
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidFilters('filters must be a JSON object of column → value');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw invalidFilters('filters must be a JSON object of column → value');
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > 10) throw invalidFilters('at most 10 filters');
  return entries.map(([k, v]) => {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
      throw invalidFilters(`the filter on ${k} must be a single string, number or boolean`);
    const text = String(v);
    if (text.length > 200) throw invalidFilters(`the filter on ${k} is longer than 200 characters`);
    return [k, text];
  });
}

const invalidFilters = (message: string) => new AppError('exchange.invalid_filters', 400, message);
