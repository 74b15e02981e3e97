import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { DATASTORE_TYPES, type DatastoreType } from '../../../../contracts/datastore-values.ts';
import { profileTable } from '../quality/profile.ts';
import { versionTable } from '../table-names.ts';
import { castExpression, pgTypeOf } from '../types/index.ts';
import { FALSE_WORDS, TRUE_WORDS } from '../types/patterns.ts';
import { BinaryRowWriter, DECLINED, WROTE_VALUE } from './binary-rows.ts';
import { NullTokenBytes } from './field-bytes.ts';
import { mergeExtremes, ValueExtremes } from './value-extremes.ts';

// The extremes the typed load gathers as it writes must be the quality profile's own: the same
// values, written by the binary writer and followed by ValueExtremes in two parts that are then
// merged, against the profile's aggregate over a table of the same values cast by the load's SQL.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.dispose());

const TYPES: DatastoreType[] = [...DATASTORE_TYPES];
const NO_NULLS = new NullTokenBytes([]);

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));
const sign = fc.constantFrom('', '', '-', '+');
const day = fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true });
const fraction = fc.oneof(
  fc.constant(''),
  digits(1, 6).map((d) => `.${d}`),
);
const clock = fc
  .tuple(
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    fraction,
  )
  .chain(([h, m, s, f]) =>
    fc.constantFrom(
      `${h}:${pad(m, 2)}`,
      `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`,
      `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${f}`,
    ),
  );
const dated = day.chain((d) => {
  const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  return fc.constantFrom(
    `${y}-${pad(m, 2)}-${pad(dd, 2)}`,
    `${y}/${m}/${dd}`,
    `${y}.${m}.${dd}`,
    `${y}年${m}月${dd}日`,
  );
});

/** Values of each type in the shapes a file holds them (a few the writer declines are dropped). */
const VALUES: Record<DatastoreType, fc.Arbitrary<string>> = {
  integer: fc.oneof(
    fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }).map(String),
    fc.integer({ min: 1000, max: 2_147_483_647 }).map((n) => n.toLocaleString('en-US')),
  ),
  bigint: fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }).map(String),
  numeric: fc
    .tuple(
      sign,
      fc.oneof(
        fc.constantFrom('', '0'),
        digits(1, 12).map((d) => `${Number(d[0]) || 1}${d.slice(1)}`),
      ),
      digits(0, 8),
    )
    .map(([s, int, frac]) => (int ? `${s}${int}${frac ? `.${frac}` : ''}` : `${s}.${frac || '0'}`)),
  boolean: fc.constantFrom(...TRUE_WORDS, ...FALSE_WORDS, 'TRUE', 'No'),
  date: dated,
  timestamp: fc.tuple(dated, fc.constantFrom(' ', 'T'), clock).map(([d, s, c]) => `${d}${s}${c}`),
  time: clock,
  text: fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replaceAll('\0', '')),
};

/** The profile of `values` (one list per type) as PostgreSQL's aggregate gives it. */
async function profiled(values: string[][]) {
  const dist = randomUUID();
  const table = versionTable(dist, 1);
  const cols = TYPES.map((t) => sql`${sql.id(t)} ${sql.raw(pgTypeOf(t))}`);
  await sql`create table ${table} (_id bigint primary key, ${sql.join(cols)})`.execute(ctx.db);
  const longest = Math.max(...values.map((v) => v.length));
  await ctx.db.transaction().execute(async (trx) => {
    // As the load's build casts (2023/5/21 is year-first).
    await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
    for (let r = 0; r < longest; r++) {
      const cells = TYPES.map((t, j) =>
        values[j]![r] === undefined ? sql`null` : castExpression(sql`${values[j]![r]}::text`, t, []),
      );
      await sql`insert into ${table} values (${r}, ${sql.join(cells)})`.execute(trx);
    }
  });
  const profile = await profileTable(
    ctx.db,
    dist,
    1,
    TYPES.map((t) => ({ id: t, label: t, type: t })),
  );
  await sql`drop table ${table}`.execute(ctx.db);
  return profile.columns.map(({ min, max, minLength, maxLength }) => ({ min, max, minLength, maxLength }));
}

/** Feeds `values` to the writer and to ValueExtremes in two parts; the declined ones are left out. */
function followed(values: string[][]) {
  const writer = new BinaryRowWriter();
  const parts = [new ValueExtremes(TYPES), new ValueExtremes(TYPES)];
  const kept = values.map(() => [] as string[]);
  for (const [j, type] of TYPES.entries()) {
    for (const [r, v] of values[j]!.entries()) {
      const buf = Buffer.from(v);
      const part = parts[r % 2]!;
      if (type === 'text') {
        writer.text(buf, 0, buf.length);
        part.text(j, buf, 0, buf.length);
      } else {
        const wrote = writer.typedField(type, buf, 0, buf.length, NO_NULLS);
        if (wrote === DECLINED) continue;
        expect(wrote).toBe(WROTE_VALUE);
        part.typed(j, writer.value, writer.value2);
      }
      kept[j]!.push(v);
      writer.take();
    }
  }
  return { kept, facts: mergeExtremes(parts, TYPES) };
}

describe('extremes followed while writing', () => {
  it('are the quality profile’s min, max and lengths for any values', async () => {
    const lists = fc.tuple(...TYPES.map((t) => fc.array(VALUES[t], { maxLength: 12 })));
    await fc.assert(
      fc.asyncProperty(lists, async (values) => {
        const { kept, facts } = followed(values);
        expect(facts).toEqual(await profiled(kept));
      }),
      { numRuns: 40, endOnFailure: true },
    );
  }, 120_000);

  it('the edges: zeros of any sign and scale, ties of one value in two scales, fractions of seconds', async () => {
    const values: string[][] = [
      ['-2147483648', '2,147,483,647', '0', '-0'],
      ['999999999999999', '-999999999999999', '+12'],
      [
        '-0.000',
        '0.0',
        '.5',
        '0.50',
        '+3.10',
        '1,234.50',
        '-1,234.5',
        '-1234.50',
        '12345678901234567.25',
        '12345678901234567.3',
      ],
      ['是', 'Y', '1'],
      ['2023年5月21日', '2023/5/21', '1000-01-01', '9999.12.31'],
      ['2023-05-21 10:00:00.5', '2023-05-21T10:00:00.500001', '2023/5/21 9:05', '1999-12-31 23:59:59.999999'],
      ['0:00', '23:59:59.000001', '12:00:00.10'],
      ['', ' 前后 ', '😀😀', 'é', 'abc'],
    ];
    const { kept, facts } = followed(values);
    expect(kept.map((k) => k.length)).toEqual(values.map((v) => v.length));
    expect(facts).toEqual(await profiled(kept));
    expect(facts[2]).toMatchObject({ min: '-1234.5', max: '12345678901234567.3' });
    expect(facts[7]).toMatchObject({ minLength: 0, maxLength: 4 });
  });

  it('count characters, not bytes, also for values whose bytes cannot make a new extreme', () => {
    const e = new ValueExtremes(['text']);
    for (const v of ['abcdef', '前后', 'abcdefghijkl']) e.text(0, Buffer.from(v), 0, Buffer.byteLength(v));
    expect(e.facts()).toEqual([{ min: null, max: null, minLength: 2, maxLength: 12 }]);
  });

  it('leave a column to the profile once a value could not be followed exactly', () => {
    const writer = new BinaryRowWriter();
    const e = new ValueExtremes(['bigint', 'numeric']);
    const big = Buffer.from('1,234,567,890,123,456');
    expect(writer.typedField('bigint', big, 0, big.length, NO_NULLS)).toBe(WROTE_VALUE);
    e.typed(0, writer.value, writer.value2);
    e.missed(1);
    expect(e.facts()).toEqual([null, null]);
    expect(new ValueExtremes(['date']).facts()).toEqual([
      { min: null, max: null, minLength: null, maxLength: null },
    ]);
  });
});
