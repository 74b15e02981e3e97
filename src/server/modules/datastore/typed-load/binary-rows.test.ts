import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../../../../../test/support/scratch-database.ts';
import type { DatastoreType } from '../../../../contracts/datastore-values.ts';
import { testDatabaseUrl } from '../../../platform/config.ts';
import { copyIn } from '../../../platform/copy-in.ts';
import { type DatabaseHandle, openDatabase } from '../../../platform/db.ts';
import { castExpression } from '../types/cast.ts';
import { classifyValue, DEFAULT_NULL_TOKENS, pgTypeOf } from '../types/classify.ts';
import { BIT, validDay } from '../types/patterns.ts';
import { stagedValue, storable } from '../types/types.test-helpers.ts';
import { BinaryRowWriter, COPY_HEADER, COPY_TRAILER } from './binary-rows.ts';
import { NullTokenBytes } from './field-bytes.ts';

// Binary COPY rows (binary-rows.ts) must store what the guarded SQL cast (castExpression) makes of
// the same text: values are staged as text and COPYed in binary side by side, and PostgreSQL compares
// `typed::text` with `cast(staged)::text`. A value the writer declines (false) is written as NULL and
// counted; the shapes a file usually holds must never be declined, and a value it does write must
// never differ — for misfits too, where the cast gives NULL.

const onPostgres = !!testDatabaseUrl();

interface Outcome {
  value: string;
  /** field() converted it (else the writer declined it and a NULL was written). */
  written: boolean;
  /** The classifier says the value fits the type (or is a null token). */
  fits: boolean;
  got: string | null;
  want: string | null;
}

/** Declined values that fit, by type, for the summary printed at the end. */
const declined = new Map<DatastoreType, Set<string>>();
/** Outcomes of the arbitrary staged values, by type, for the summary. */
const tally: Partial<Record<DatastoreType, { written: number; declinedFits: number; misfits: number }>> = {};

describe.skipIf(!onPostgres)('binary COPY rows on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  let database: DatabaseHandle;
  let tableNo = 0;

  beforeAll(async () => {
    scratch = await scratchDatabase('civitas_brw');
    database = await openDatabase({ databaseUrl: scratch.url, poolSize: 3 });
  });
  afterAll(async () => {
    await database?.close();
    await scratch?.drop();
    const lines = [...declined].map(([type, values]) => `${type}: ${[...values].slice(0, 12).join(' | ')}`);
    if (lines.length) console.info(`declined values that fit:\n${lines.join('\n')}`);
    console.info(`arbitrary staged values: ${JSON.stringify(tally)}`);
  });

  /** Encodes `values` as rows (_id, value) of a `type` column, COPYs them, and compares with the cast. */
  async function roundTrip(
    type: DatastoreType,
    values: readonly string[],
    tokens: readonly string[] = DEFAULT_NULL_TOKENS,
    bufferBytes?: number,
  ): Promise<Outcome[]> {
    const n = ++tableNo;
    const staged = `s${n}`;
    const typed = `t${n}`;
    const db = database.db;
    await sql`create table ${sql.id(staged)} (_id bigint, v text)`.execute(db);
    await sql`create table ${sql.id(typed)} (_id bigint, v ${sql.raw(pgTypeOf(type))})`.execute(db);
    await sql`insert into ${sql.id(staged)} select u.i, u.v
      from unnest(${[...values]}::text[]) with ordinality u(v, i)`.execute(db);

    const nulls = new NullTokenBytes(tokens);
    const writer = new BinaryRowWriter(bufferBytes);
    const written: boolean[] = [];
    const chunks: Buffer[] = [COPY_HEADER];
    values.forEach((value, k) => {
      // The field sits between other bytes, as in a file: the writer must keep to [start, end).
      const bytes = Buffer.from(`9,${value},x`);
      const start = 2;
      const end = bytes.length - 2;
      writer.startRow(2);
      writer.bigint(k + 1);
      const ok = writer.field(type, bytes, start, end, nulls);
      if (!ok) writer.nullField();
      written.push(ok);
      if (k % 97 === 0) chunks.push(...writer.take());
    });
    chunks.push(...writer.take(), COPY_TRAILER);
    expect(chunks.every(rowAligned)).toBe(true);
    const copied = await copyIn(
      database,
      `COPY ${typed} (_id, v) FROM {source} WITH (FORMAT binary)`,
      (async function* () {
        yield* chunks;
      })(),
    );
    expect(copied).toBe(values.length);

    const rows = await db.transaction().execute(async (trx) => {
      await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
      const r = await sql<{ got: string | null; want: string | null }>`
        select t.v::text as got, (${castExpression(sql.ref('s.v'), type, tokens)})::text as want
        from ${sql.id(staged)} s join ${sql.id(typed)} t using (_id) order by _id`.execute(trx);
      return r.rows;
    });
    await sql`drop table ${sql.id(staged)}, ${sql.id(typed)}`.execute(db);
    return values.map((value, k) => {
      const c = classifyValue(value, tokens);
      const fits =
        c.isNull || type === 'text' || (c.mask & BIT[type as Exclude<DatastoreType, 'text'>]) !== 0;
      const outcome = { value, written: written[k]!, fits, got: rows[k]!.got, want: rows[k]!.want };
      if (fits && !outcome.written) {
        const set = declined.get(type) ?? new Set();
        set.add(value);
        declined.set(type, set);
      }
      return outcome;
    });
  }

  /** What was written equals the cast; with `all`, every value fits and was written. */
  function check(outcomes: Outcome[], all: boolean) {
    const wrong = outcomes.filter((o) => o.written && o.got !== o.want);
    expect(wrong).toEqual([]);
    if (all) {
      expect(outcomes.filter((o) => !o.fits).map((o) => o.value)).toEqual([]);
      expect(outcomes.filter((o) => !o.written).map((o) => o.value)).toEqual([]);
    }
  }

  const EDGES: Record<DatastoreType, { common: string[]; other: string[] }> = {
    integer: {
      common: [
        '0',
        '-0',
        '+0',
        '1',
        '-1',
        '42',
        ' 7 ',
        '\u30007\u3000',
        '\t-15\n',
        '2147483647',
        '-2147483648',
      ]
        .concat(['2,147,483,647', '-2,147,483,648', '1,234', '-1,234,567', '+12', '999,999', '1,000,000'])
        .concat(['NA', '', ' ', 'null', '-', '无', '13812345678'.slice(0, 9)]),
      other: [
        '2147483648',
        '-2147483649',
        '2,147,483,648',
        '007',
        '1.5',
        '1,23',
        '12a',
        '1e3',
        '１２',
        '1,,234',
      ].concat([',123', '1,234,', '0,123', '12345678901', '+', '-', '+-1', '1 2']),
    },
    bigint: {
      common: ['0', '-1', '42', '999999999999999', '-999999999999999', '4294967296', '-4294967296']
        .concat([
          '4294967295',
          '-4294967295',
          '2147483648',
          '-2147483649',
          '13812345678',
          '-9,007,199,254,740,993',
        ])
        .concat([
          '9,007,199,254,740,993',
          '9,007,199,254,740,992',
          '8,999,999,999,999,999',
          '-9,000,000,000,000,001',
        ])
        .concat(['999,999,999,999,999,999', '-999,999,999,999,999,999', '100,000,000,000,000,000', 'N/A']),
      other: ['9007199254740993', '1,234,567,890,123,456,789', '0123', '1.0', '1e3', '12-3'],
    },
    numeric: {
      common: ['0', '0.000', '-0.000', '-0.5', '.5', '-.5', '+.5', '12.50', '-12.50', '99999999.9999']
        .concat(['1,234,567.890', '1,234', '0.0001', '0.00001', '123456789012345', '1234.5678', '10000'])
        .concat([
          '0.1',
          '100000000',
          '-1',
          '3.14159265358979323846264338327950288',
          '1,234,567,890,123,456,789',
        ])
        .concat(['1,234,567,890,123,456,789.000001', `${'9'.repeat(60)}.${'1'.repeat(38)}`, '-0', '+0.0'])
        .concat(['1000.0001', '0.10000', '9999.9999', '10000.00001', ' 5.5\u3000', '-', '--']),
      other: [
        '1e5',
        '1.5E-3',
        '-2e+10',
        '007',
        '00.5',
        '5.',
        '.',
        '1,23.5',
        '1.2.3',
        'NaN',
        'Infinity',
      ].concat(['1234567890123456', `1.${'5'.repeat(200)}`, '1,234.5,6', '٣']),
    },
    boolean: {
      common: [
        'true',
        'TRUE',
        'True',
        't',
        'T',
        'yes',
        'YES',
        'yEs',
        'y',
        'Y',
        '1',
        '0',
        'false',
        'FALSE',
      ].concat(['F', 'f', 'no', 'No', 'NO', 'n', 'N', '是', '否', ' 是 ', '\u3000否', 'NULL']),
      other: ['on', 'off', '+1', '-0', '01', '2', 'truee', 'ye', 'tru', 'ｙｅｓ', '是的', '\u212a'],
    },
    date: {
      common: [
        '2000-01-01',
        '1999-12-31',
        '1000-01-01',
        '9999-12-31',
        '2024-02-29',
        '2000-02-29',
        '1600-02-29',
      ]
        .concat(['2023/5/21', '2023.5.21', '2023年5月21日', '2023年05月01日', '2023-5-1', '2023/12/31'])
        .concat(['1900-03-01', '2100-02-28', '1970-01-01', '1969-12-31', '2023-06-30', ' 2023-01-02 ']),
      other: [
        '1900-02-29',
        '2023-02-30',
        '2023-13-01',
        '0999-01-01',
        '20230521',
        '2023-05/21',
        '2023-5-21T10:00',
      ].concat([
        '2023-001-01',
        '2023-1-001',
        '2023年5月21',
        '2023-04-31',
        '2023-0-1',
        '2023-1-0',
        '１２３４-０５-０６',
      ]),
    },
    timestamp: {
      common: ['2023-05-21T10:30', '2023-05-21 10:30:00', '2023-05-21 23:59:59.999999', '2000-01-01 00:00']
        .concat([
          '1999-12-31T23:59:59',
          '9999-12-31 23:59:59.999999',
          '1000-01-01 00:00:00',
          '2024-02-29T12:00',
        ])
        .concat(['2023/5/21 9:05', '2023.5.21T9:05:03.5', '2023年5月21日 10:30', '2023年5月21日T08:00:01'])
        .concat([
          '2023-05-21',
          '2023年5月21日',
          '2023-5-21T9:05',
          '2023-05-21 0:00',
          '1000-01-01',
          '9999-12-31',
        ])
        .concat(['1969-12-31 23:59:59.000001', '2000-01-01T00:00:00.000001', '1999-12-31 23:59:59.999999']),
      other: ['2023-05-21  10:30', '2023-05-21t10:30', '2023-05-21T24:00', '2023-05-21 10:30Z'].concat([
        '2023-05-21 10:30:00+08',
        '2023-02-30 10:00',
        '2023-05-21 10:30:60',
        '2023-05-21T',
        '2023-05-21 1:2',
      ]),
    },
    time: {
      common: [
        '0:00',
        '00:00',
        '9:05',
        '23:59',
        '23:59:59',
        '23:59:59.999999',
        '12:30:00.5',
        '00:00:00.000001',
      ].concat(['1:02:03.123', '19:00', '20:15:30', ' 08:00 ']),
      other: [
        '24:00',
        '23:60',
        '23:59:60',
        '1:2',
        '12:30:00.1234567',
        '12:30:',
        '123:00',
        '12:30.5',
        '1230',
      ].concat(['24:00:00', '12:30:00.', '-1:00']),
    },
    text: {
      common: [
        'hello',
        ' spaced ',
        '\u3000全角\u3000',
        '中文，测试',
        '',
        'NA',
        ' NA ',
        'null',
        '-',
        '--',
        '无',
        '空',
      ]
        .concat([
          'a,b',
          '"q"',
          'x'.repeat(200),
          '\u00a0x',
          'tab\tin',
          '😀 emoji',
          '\ufeffbom',
          ' \u3000 ',
          '0',
          'N',
        ])
        .concat(['back\\slash', 'line\nbreak', `${'长'.repeat(40)} `]),
      other: [],
    },
  };

  for (const [type, { common, other }] of Object.entries(EDGES) as [
    DatastoreType,
    (typeof EDGES)['text'],
  ][]) {
    it(`${type}: the edge cases convert as the cast does`, async () => {
      check(await roundTrip(type, common), true);
      if (other.length) check(await roundTrip(type, other), false);
    });
  }

  it('null tokens of the load’s own, in every type', async () => {
    const tokens = ['', '?', '缺失', '0', ' n/a '];
    const values = ['?', ' ? ', '缺失', '\u3000缺失', '0', 'n/a', ' n/a ', '', '  ', 'NA', '1', '2023-01-01'];
    for (const type of Object.keys(EDGES) as DatastoreType[])
      check(await roundTrip(type, values, tokens), false);
    // Without tokens, text keeps even an empty value.
    const none = await roundTrip('text', ['', ' ', 'x'], []);
    expect(none.map((o) => o.got)).toEqual(['', ' ', 'x']);
    check(none, true);
  });

  it('rows never straddle buffers, and a small buffer writes the same rows', async () => {
    const values = ['short', 'x'.repeat(300), '中文'.repeat(50), '', 'y'];
    check(await roundTrip('text', values, DEFAULT_NULL_TOKENS, 64), true);
    check(await roundTrip('numeric', EDGES.numeric.common, DEFAULT_NULL_TOKENS, 48), true);
    check(await roundTrip('timestamp', EDGES.timestamp.common, DEFAULT_NULL_TOKENS, 40), true);
  });

  // Generated values of each type's common shapes: all written, all equal to the cast.
  const pad2 = (n: number, padded: boolean) => (padded && n < 10 ? `0${n}` : String(n));
  const space = fc.constantFrom('', '', '', ' ', '\u3000', '\t', '\u00a0');
  const around = (inner: fc.Arbitrary<string>) => fc.tuple(space, inner, space).map(([a, v, b]) => a + v + b);
  const separate = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const signed = (n: bigint, form: 'plain' | 'separated', plus: boolean) =>
    `${n < 0n ? '-' : plus ? '+' : ''}${form === 'separated' ? separate((n < 0n ? -n : n).toString()) : (n < 0n ? -n : n).toString()}`;
  const integerText = (min: bigint, max: bigint, separatedOnly: bigint) =>
    fc
      .tuple(fc.bigInt({ min, max }), fc.boolean(), fc.boolean())
      .map(([n, sep, plus]) =>
        signed(n, sep || n >= separatedOnly || -n >= separatedOnly ? 'separated' : 'plain', plus),
      );
  const dateText = fc
    .tuple(
      fc.integer({ min: 1000, max: 9999 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 31 }),
      fc.constantFrom(['-', '-', ''], ['/', '/', ''], ['.', '.', ''], ['年', '月', '日']),
      fc.boolean(),
    )
    .filter(([y, m, d]) => validDay(y, m, d))
    .map(([y, m, d, [a, b, c], padded]) => `${y}${a}${pad2(m, padded)}${b}${pad2(d, padded)}${c}`);
  const timeText = fc
    .tuple(
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.option(fc.integer({ min: 0, max: 59 })),
      fc.option(fc.stringMatching(/^[0-9]{1,6}$/)),
      fc.boolean(),
    )
    .map(
      ([h, m, s, f, padded]) =>
        `${pad2(h, padded)}:${pad2(m, true)}${s === null ? '' : `:${pad2(s, true)}${f === null ? '' : `.${f}`}`}`,
    );
  const GENERATED: Record<DatastoreType, fc.Arbitrary<string>> = {
    integer: around(integerText(-(2n ** 31n), 2n ** 31n - 1n, 2n ** 62n)),
    bigint: around(integerText(-(10n ** 18n) + 1n, 10n ** 18n - 1n, 10n ** 15n)),
    numeric: around(
      fc
        .tuple(
          fc.constantFrom('', '-', '+'),
          fc.oneof(fc.constant(''), fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,30}$/)),
          fc.option(fc.stringMatching(/^[0-9]{1,20}$/)),
          fc.boolean(),
        )
        .filter(([, i, f]) => (i !== '' || f !== null) && (f !== null || i.length <= 15))
        .map(([s, i, f, sep]) => `${s}${sep ? separate(i) : i}${f === null ? '' : `.${f}`}`),
    ),
    boolean: around(
      fc
        .tuple(
          fc.constantFrom('true', 't', 'yes', 'y', '1', '是', 'false', 'f', 'no', 'n', '0', '否'),
          fc.integer(),
        )
        .map(([w, bits]) => [...w].map((ch, k) => ((bits >> k) & 1 ? ch.toUpperCase() : ch)).join('')),
    ),
    date: around(dateText),
    timestamp: around(
      fc.oneof(
        dateText,
        fc.tuple(dateText, fc.constantFrom('T', ' '), timeText).map(([d, s, t]) => d + s + t),
      ),
    ),
    time: around(timeText),
    text: fc
      .oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), around(fc.string({ maxLength: 10 })))
      .filter(storable),
  };

  for (const type of Object.keys(GENERATED) as DatastoreType[]) {
    it(`${type}: generated values of the common shapes are all written, as the cast converts them`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(GENERATED[type], { minLength: 1, maxLength: 400, size: 'max' }),
          async (values) => {
            check(await roundTrip(type, values), true);
          },
        ),
        { numRuns: 6 },
      );
    });
  }

  it('any staged value, in every type: what is written equals the cast (misfits are declined)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(stagedValue, { minLength: 1, maxLength: 300, size: 'max' }),
        async (values) => {
          for (const type of Object.keys(EDGES) as DatastoreType[]) {
            const outcomes = await roundTrip(type, values);
            // A misfit's cast is NULL, so check() also proves that misfits are never written.
            check(outcomes, false);
            // Exponents are the only shape declined.
            expect(
              outcomes.filter((o) => o.fits && !o.written && !/[eE]/.test(o.value)).map((o) => o.value),
            ).toEqual([]);
            for (const o of outcomes) {
              const t = tally[type] ?? { written: 0, declinedFits: 0, misfits: 0 };
              tally[type] = t;
              if (!o.fits) t.misfits++;
              else if (o.written) t.written++;
              else t.declinedFits++;
            }
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});

/** Whether a chunk holds whole rows (field counts, then length-prefixed fields), the header aside. */
function rowAligned(chunk: Buffer): boolean {
  if (chunk === COPY_HEADER || chunk === COPY_TRAILER) return true;
  let p = 0;
  while (p < chunk.length) {
    if (p + 2 > chunk.length) return false;
    const fields = chunk.readInt16BE(p);
    p += 2;
    for (let f = 0; f < fields; f++) {
      if (p + 4 > chunk.length) return false;
      const len = chunk.readInt32BE(p);
      p += 4 + Math.max(0, len);
    }
  }
  return p === chunk.length;
}
