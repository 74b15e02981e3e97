import fc from 'fast-check';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import type { Db } from '../../../platform/db.ts';
import { castExpression, trimmedStaging } from './cast.ts';
import { type ColumnType, classifyValue, DEFAULT_NULL_TOKENS, trimValue } from './classify.ts';
import { maskSql } from './classify-sql.ts';
import { BIT, TRUE_WORDS } from './patterns.ts';
import { onTrimmed } from './sql-text.ts';
import { overValues, stagedValue } from './types.test-helpers.ts';

// The SQL classifier must agree with the JS reference on every value, and every cast must be total:
// run on the real database (PGlite, or PostgreSQL with DATABASE_URL), never raising, NULL exactly
// where the value does not fit, and giving back the value the text meant.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.dispose());

const TYPES: Exclude<ColumnType, 'text'>[] = [
  'integer',
  'bigint',
  'numeric',
  'boolean',
  'date',
  'timestamp',
  'time',
];
const TOKENS = [...DEFAULT_NULL_TOKENS, "it's", 'back\\slash'];

// As inferenceQuery computes it: on the value itself when there is nothing to trim.
const maskOf = (v: RawBuilder<unknown>) => sql`${onTrimmed(v, (t) => maskSql(t, TOKENS))} as mask`;

async function sqlMasks(db: Db, values: string[]) {
  return (await overValues<{ mask: number }>(db, values, maskOf)).map((r) => Number(r.mask));
}

const casts = (v: RawBuilder<unknown>) =>
  sql.join(TYPES.map((type) => sql`(${castExpression(v, type, TOKENS)})::text as ${sql.id(type)}`));

/** A decimal string without sign noise, leading or trailing zeros: what both sides are compared as. */
function canonicalDecimal(text: string): string {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text.replaceAll(',', ''));
  if (!m) throw new Error(`not a decimal: ${text}`);
  const digits = `${m[2]}${m[3] ?? ''}`;
  const point = (m[2] ?? '').length + Number(m[4] ?? 0);
  const padded = point > digits.length ? digits.padEnd(point, '0') : digits;
  const lead = point < 0 ? '0'.repeat(-point) + padded : padded;
  const at = Math.max(point, 0);
  const int = lead.slice(0, at).replace(/^0+/, '') || '0';
  const frac = lead.slice(at).replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return body === '0' ? '0' : `${m[1] === '-' ? '-' : ''}${body}`;
}

const two = (s: string) => s.padStart(2, '0');
function isoDate(t: string): string {
  const [, y, m, d] = /^([0-9]{4})[^0-9]+([0-9]{1,2})[^0-9]+([0-9]{1,2})/.exec(t)!;
  return `${y}-${two(m!)}-${two(d!)}`;
}
function isoTime(t: string): string {
  const [h, m, s = '00'] = t.split(':');
  const [sec, frac = ''] = s.split('.');
  const f = frac.replace(/0+$/, '');
  return `${two(h!)}:${m}:${sec}${f ? `.${f}` : ''}`;
}

/** What the typed value of `v` must read as (its ::text), by the JS reference. */
function expected(v: string, type: Exclude<ColumnType, 'text'>): string {
  const t = trimValue(v);
  switch (type) {
    case 'integer':
    case 'bigint':
      return BigInt(t.replaceAll(',', '')).toString();
    case 'numeric':
      return canonicalDecimal(t);
    case 'boolean':
      return (TRUE_WORDS as readonly string[]).includes(t.toLowerCase()) ? 'true' : 'false';
    case 'date':
      return isoDate(t);
    case 'timestamp': {
      const [d, time] = t.split(/[T ]/);
      return `${isoDate(d!)} ${time ? isoTime(time) : '00:00:00'}`;
    }
    case 'time':
      return isoTime(t);
  }
}

async function checkCasts(db: Db, values: string[]) {
  const rows = await overValues<Record<string, string | null>>(db, values, casts);
  rows.forEach((row, i) => {
    const v = values[i]!;
    const cls = classifyValue(v, TOKENS);
    for (const type of TYPES) {
      const got = row[type] ?? null;
      const fits = (cls.mask & BIT[type]) !== 0;
      const want = fits ? expected(v, type) : null;
      const norm = type === 'numeric' && got !== null ? canonicalDecimal(got) : got;
      if (norm !== want) expect({ value: v, type, got }).toEqual({ value: v, type, got: want });
    }
  });
}

describe('the SQL classifier', () => {
  it('gives every value the class bits of the JS reference', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stagedValue, { minLength: 1, maxLength: 300 }), async (values) => {
        const masks = await sqlMasks(ctx.db, values);
        const js = values.map((v) => classifyValue(v, TOKENS).mask);
        const diff = values.flatMap((v, i) => (masks[i] === js[i] ? [] : [{ v, sql: masks[i], js: js[i] }]));
        expect(diff).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('treats null tokens (with quotes and backslashes) and missing cells as null', async () => {
    const values = ['  NA ', "it's", 'back\\slash', '无', '', '\u3000'];
    expect(await sqlMasks(ctx.db, values)).toEqual(values.map(() => BIT.null));
    const rows = await overValues<{ mask: number }>(ctx.db, [null], maskOf);
    expect(Number(rows[0]!.mask)).toBe(BIT.null);
  });
});

describe('casts', () => {
  it('never raise, are NULL exactly where the value does not fit, and keep what the text meant', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stagedValue, { minLength: 1, maxLength: 200 }), async (values) => {
        await checkCasts(ctx.db, values);
      }),
      { numRuns: 40 },
    );
  });

  it('read Y-M-D whatever DateStyle the session has', async () => {
    const values = [
      '2023-05-21',
      '2023/5/21',
      '2023.5.21',
      '2023年5月21日',
      '2024-02-29 10:30',
      '2023.12.01 08:05:09.25',
    ];
    await ctx.db.transaction().execute(async (trx) => {
      await sql`set local datestyle = 'SQL, DMY'`.execute(trx);
      const rows = await overValues<{ d: string | null; ts: string | null }>(
        trx,
        values,
        (v) =>
          sql`to_char(${castExpression(v, 'date', TOKENS)}, 'YYYY-MM-DD') as d,
            to_char(${castExpression(v, 'timestamp', TOKENS)}, 'YYYY-MM-DD HH24:MI:SS.US') as ts`,
      );
      expect(rows.map((r) => r.d)).toEqual([
        '2023-05-21',
        '2023-05-21',
        '2023-05-21',
        '2023-05-21',
        null,
        null,
      ]);
      expect(rows.map((r) => r.ts)).toEqual([
        '2023-05-21 00:00:00.000000',
        '2023-05-21 00:00:00.000000',
        '2023-05-21 00:00:00.000000',
        '2023-05-21 00:00:00.000000',
        '2024-02-29 10:30:00.000000',
        '2023-12-01 08:05:09.250000',
      ]);
    });
  });

  it('give the same result on a trimmed staging subquery', async () => {
    await sql`create table stage_trim (_row bigint, c1 text, c2 text)`.execute(ctx.db);
    await sql`insert into stage_trim values (1, ' 12 ', ' 2023/5/21 '), (2, '1,234', 'x'), (3, 'NA', null)`.execute(
      ctx.db,
    );
    const types: ColumnType[] = ['integer', 'text'];
    const { rows } = await sql<{ a: number | null; b: string | null; a2: number | null }>`select
        ${castExpression(sql.ref('s.c1'), 'integer', TOKENS, { trimmed: true })} as a,
        ${castExpression(sql.ref('s.c2'), 'text', TOKENS, { trimmed: true })} as b,
        ${castExpression(sql.ref('s.c1'), 'integer', TOKENS)} as a2
      from ${trimmedStaging('stage_trim', ['c1', 'c2'], types)} s order by s._row`.execute(ctx.db);
    expect(rows).toEqual([
      { a: 12, b: ' 2023/5/21 ', a2: 12 },
      { a: 1234, b: 'x', a2: 1234 },
      { a: null, b: null, a2: null },
    ]);
  });
});
