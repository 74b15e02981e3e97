import { type RawBuilder, sql } from 'kysely';

// How a value is shown to readers who may not see it whole. SQL (for the access views) and JS (for
// previews and exports built in Node) must give the same text; both count characters as code
// points — PostgreSQL's length/left/right do, and so does Array.from in JS.

export type MaskRule = 'none' | 'full' | 'id_number' | 'phone' | 'name' | 'email' | 'partial';

export const MASK_RULES: readonly MaskRule[] = [
  'none',
  'full',
  'id_number',
  'phone',
  'name',
  'email',
  'partial',
];

/** What a fully masked value shows: a fixed width, so the length is not given away either. */
export const FULL_MASK = '****';
const EMAIL_MASK = '***';

/** Keeps `head` and `tail` characters, a star for each one between; all stars when too short. */
function keepEnds(chars: string[], head: number, tail: number): string {
  if (chars.length <= head + tail) return '*'.repeat(chars.length);
  return (
    chars.slice(0, head).join('') +
    '*'.repeat(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}

function partial(chars: string[]): string {
  const q = Math.floor(chars.length / 4);
  return (
    chars.slice(0, q).join('') + '*'.repeat(chars.length - 2 * q) + chars.slice(chars.length - q).join('')
  );
}

/** The masked form of a value (JS twin of maskExpression). */
export function maskValue(value: string | null, rule: MaskRule): string | null {
  if (value === null) return null;
  const chars = Array.from(value);
  switch (rule) {
    case 'none':
      return value;
    case 'full':
      return FULL_MASK;
    case 'id_number':
      return keepEnds(chars, 4, 4);
    case 'phone':
      return keepEnds(chars, 3, 4);
    case 'name':
      return keepEnds(chars, 1, 0);
    case 'email': {
      const at = value.indexOf('@');
      if (at < 0) return partial(chars);
      return (Array.from(value.slice(0, at))[0] ?? '') + EMAIL_MASK + value.slice(at);
    }
    case 'partial':
      return partial(chars);
  }
}

function keepEndsSql(v: RawBuilder<unknown>, head: number, tail: number) {
  const h = sql.lit(head);
  const t = sql.lit(tail);
  return sql<string>`case when length(${v}) <= ${sql.lit(head + tail)} then repeat('*', length(${v}))
    else left(${v}, ${h}) || repeat('*', length(${v}) - ${sql.lit(head + tail)}) || right(${v}, ${t}) end`;
}

const partialSql = (v: RawBuilder<unknown>) =>
  sql<string>`left(${v}, length(${v}) / 4) || repeat('*', length(${v}) - 2 * (length(${v}) / 4)) || right(${v}, length(${v}) / 4)`;

/** SQL giving the masked text of a column of any type (NULL stays NULL). */
export function maskExpression(column: RawBuilder<unknown>, rule: MaskRule): RawBuilder<string> {
  const v = sql`(${column})::text`;
  switch (rule) {
    case 'none':
      return sql<string>`${v}`;
    case 'full':
      return sql<string>`case when ${v} is null then null else ${sql.lit(FULL_MASK)} end`;
    case 'id_number':
      return keepEndsSql(v, 4, 4);
    case 'phone':
      return keepEndsSql(v, 3, 4);
    case 'name':
      return keepEndsSql(v, 1, 0);
    case 'email':
      return sql<string>`case when strpos(${v}, '@') = 0 then ${partialSql(v)}
        else left(${v}, least(strpos(${v}, '@') - 1, 1)) || ${sql.lit(EMAIL_MASK)} || substr(${v}, strpos(${v}, '@')) end`;
    case 'partial':
      return partialSql(v);
  }
}
