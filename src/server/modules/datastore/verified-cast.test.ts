import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/test-context.ts';
import type { DatastoreType } from '../../../contracts/datastore.ts';
import { castExpression, classifyValue, DEFAULT_NULL_TOKENS } from './types/index.ts';
import { verifiedCast } from './verified-cast.ts';

// The verified casts must convert exactly what the classifier accepts for a type (so a build that
// succeeds proves the sample's types) and raise a data exception for every value it would not.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.dispose());

async function cast(
  value: string,
  type: DatastoreType,
  how: 'verified' | 'guarded' = 'verified',
): Promise<{ ok: true; value: unknown } | { ok: false; code: string }> {
  const v = sql`${value}::text`;
  const expression =
    how === 'verified'
      ? verifiedCast(v, type, DEFAULT_NULL_TOKENS)
      : castExpression(v, type, DEFAULT_NULL_TOKENS);
  try {
    const r = await ctx.db.transaction().execute(async (trx) => {
      await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
      return sql<{ v: unknown }>`select (${expression})::text as v`.execute(trx);
    });
    return { ok: true, value: r.rows[0]?.v ?? null };
  } catch (err) {
    return { ok: false, code: String((err as { code?: string }).code) };
  }
}

/** A value the classifier gives `type` converts to what the casts of a full inference make of it. */
async function expectConverted(value: string, type: DatastoreType) {
  const guarded = await cast(value, type, 'guarded');
  expect(guarded, `${value} as ${type} (guarded)`).toMatchObject({ ok: true });
  expect(await cast(value, type), `${value} as ${type}`).toEqual(guarded);
}

const SAMPLES: [DatastoreType, string[]][] = [
  [
    'integer',
    [
      '12',
      ' 7 ',
      '-3',
      '1,234',
      '0',
      '007',
      '1.5',
      '12a',
      '1,23',
      '99999999999',
      '2147483648',
      '+5',
      '+0',
      '1_000',
      '+1,234',
      '-1,234,567',
      '12,3456',
      '2,147,483,648',
      '0b101',
      '0x1F',
      '-0o17',
      '00',
      '-0',
    ],
  ],
  [
    'bigint',
    [
      '12345678901',
      '1,234,567,890',
      '0012',
      '1234567890123456',
      '9223372036854775807',
      '1,234,567,890,123,456',
      '9,223,372,036,854,775,808',
    ],
  ],
  [
    'numeric',
    [
      '1.5',
      '-0.25',
      '1,234.50',
      'NaN',
      'Infinity',
      '1e3',
      '.5',
      '01.5',
      'abc',
      '0.',
      '1.',
      '-.5',
      '1e1000',
      '2E-5',
      '1.e5',
      '1_000.5',
      '0x1F',
      '0.5',
      '0e5',
      '-0.25e2',
      '0,5',
    ],
  ],
  ['boolean', ['是', '否', 'Y', 'n', 'TRUE', 'false', '1', '0', 'maybe', 'on']],
  [
    'date',
    [
      '2023-05-21',
      '2023/5/21',
      '2023.5.21',
      '2023年5月21日',
      '2023-02-30',
      '5/21/2023',
      '20230521',
      '2023-13-01',
      '2023-5-21',
      '2023-05-1z',
      '2023/5/1z',
      '2023.5.1j',
      '2023/012/1',
      '2023年05月01日',
      '2023年5月1z日',
      '2023年2月29日',
      '2024年2月29日',
      '0999-01-01',
      '2023-5-001',
      '2023/5/001',
      '2023年5月010日',
      '2023年5日月1日',
      '2023年010月1日',
      '2023/5-/1',
    ],
  ],
  [
    'timestamp',
    [
      '2023-05-21 10:30:00',
      '2023-05-21T10:30',
      '2023/5/21 10:30',
      '2023-05-21 25:00',
      'yesterday',
      '2023-05-21 10:30:0z',
      '2023-05-21 10:30:+0',
      '2023-05-21  10:30',
      '2023年5月21日 10:30',
      '2023-05-21 10:30:00.5',
      '2023-05-21 24:00:00',
      '2023-05-21 10:30:60',
      '2023-05-21T10:30:00',
      '2023-5-21 9:05',
    ],
  ],
  [
    'time',
    [
      '10:30',
      '10:30:15',
      '9:05',
      '24:00:01',
      '1030',
      'allballs',
      '1:2:3',
      '10:5',
      '10:30:00.',
      '10:30:00.000',
      '10:30:00.123456',
      '10:30:00.1234567',
      '10:30+08',
      '24:00',
      '10:30 PM',
      '10:30:60',
    ],
  ],
];

describe('verifiedCast', () => {
  for (const [type, values] of SAMPLES) {
    it(`converts what the classifier calls ${type} and refuses the rest`, async () => {
      for (const value of values) {
        const fits = classifyValue(value, DEFAULT_NULL_TOKENS).types.includes(type);
        if (fits) await expectConverted(value, type);
        else
          expect(await cast(value, type), `${value} as ${type}`).toMatchObject({
            ok: false,
            code: expect.stringMatching(/^22/),
          });
      }
    });
  }

  it('turns null tokens into NULL for every type', async () => {
    for (const type of ['integer', 'date', 'boolean', 'text'] as const) {
      for (const token of ['', '无', ' - ', 'N/A'])
        expect(await cast(token, type)).toEqual({ ok: true, value: null });
    }
  });
});

describe('verifiedCast agrees with the classifier on generated values', () => {
  const digits = fc.stringMatching(/^[+-]?[0-9]{1,12}$/);
  const dates = fc
    .tuple(
      fc.integer({ min: 1900, max: 2100 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      fc.constantFrom('-', '/', '.', '年'),
    )
    .map(([y, m, d, sep]) => (sep === '年' ? `${y}年${m}月${d}日` : `${y}${sep}${m}${sep}${d}`));
  const times = fc
    .tuple(
      fc.integer({ min: 0, max: 25 }),
      fc.integer({ min: 0, max: 61 }),
      fc.option(fc.integer({ min: 0, max: 61 })),
    )
    .map(
      ([h, m, s]) =>
        `${h}:${String(m).padStart(2, '0')}${s === null ? '' : `:${String(s).padStart(2, '0')}`}`,
    );
  const numbers = fc.stringMatching(/^[+-]?[0-9]{0,4}\.?[0-9]{0,3}([eE][+-]?[0-9]{1,5})?$/);
  const stamps = fc.stringMatching(
    /^[0-9]{4}[-/.][0-9]{1,3}[-/.]?[0-9]{0,3}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?$/,
  );
  // Valid-looking values with one character changed: PostgreSQL's input reads some of them (a
  // trailing time zone letter, a sign, a space, a doubled separator) where the classifier does not.
  const mutated = fc
    .tuple(
      fc.oneof(dates, stamps, times, digits, fc.constantFrom('2023-05-21 10:30:00', '1,234,567')),
      fc.nat(),
      fc.constantFrom('z', 'j', 'T', '+', '-', ' ', ':', '.', ',', '_', '0', '9', '年', '月', '日', ''),
    )
    .map(([v, at, c]) => {
      const i = at % (v.length + 1);
      return v.slice(0, i) + c + v.slice(i + (at % 2));
    });
  const values = fc.oneof(
    numbers,
    stamps,
    digits,
    dates,
    times,
    mutated,
    fc.string({ maxLength: 12 }),
    fc.constantFrom('是', '否', 'Y', 'N', '1,234', '1,23', '0.5', 'NaN', '0.', '7.', '1e1000', '3E-2'),
  );
  it('as text: the value itself, or NULL for a null token however it is padded', async () => {
    const padding = fc.constantFrom('', ' ', '\t', '\u3000', '\u00a0', '\ufeff', '  ', '\r\n');
    const tokenish = fc
      .tuple(
        padding,
        fc.constantFrom(...DEFAULT_NULL_TOKENS, 'N', 'NAN', 'nul', '无效', '空白', '-1', 'x'),
        padding,
      )
      .map(([a, v, b]) => a + v + b);
    // Compared in SQL: the driver drops a leading BOM from the text it reads back.
    const asText = async (value: string) => {
      const v = sql`${value}::text`;
      const r = await sql<{ verified: string; guarded: string }>`select
          case when ${verifiedCast(v, 'text', DEFAULT_NULL_TOKENS)} is null then 'null'
            when ${verifiedCast(v, 'text', DEFAULT_NULL_TOKENS)} = ${v} then 'same' else 'changed' end as verified,
          case when ${castExpression(v, 'text', DEFAULT_NULL_TOKENS)} is null then 'null'
            when ${castExpression(v, 'text', DEFAULT_NULL_TOKENS)} = ${v} then 'same' else 'changed' end as guarded`.execute(
        ctx.db,
      );
      return r.rows[0];
    };
    await fc.assert(
      fc.asyncProperty(fc.oneof(tokenish, values), async (value) => {
        if (value.includes('\u0000')) return;
        const expected = classifyValue(value, DEFAULT_NULL_TOKENS).isNull ? 'null' : 'same';
        expect(await asText(value), JSON.stringify(value)).toEqual({ verified: expected, guarded: expected });
      }),
      { numRuns: 500 },
    );
  });

  for (const type of ['integer', 'bigint', 'numeric', 'boolean', 'date', 'timestamp', 'time'] as const) {
    it(`as ${type}`, async () => {
      await fc.assert(
        fc.asyncProperty(values, async (value) => {
          if (value.includes('\u0000')) return;
          const fits = classifyValue(value, DEFAULT_NULL_TOKENS);
          if (fits.isNull) expect(await cast(value, type)).toEqual({ ok: true, value: null });
          else if (fits.types.includes(type)) await expectConverted(value, type);
          else expect(await cast(value, type), value).toMatchObject({ ok: false });
        }),
        { numRuns: 500 },
      );
    });
  }
});
