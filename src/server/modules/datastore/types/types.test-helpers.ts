import fc from 'fast-check';
import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';

// Generators of staged values for the property tests: arbitrary text, and values built to sit just
// inside or just outside what a type accepts (calendar edges, int4/int8 boundaries, exponents).

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const maybePad = (n: number) => fc.constantFrom(String(n), pad(n, 2));

/** Text PostgreSQL can store: no NUL, no lone surrogate. */
export const storable = (s: string) => !s.includes('\u0000') && s.isWellFormed();

const whitespace = fc.constantFrom('', '', '', ' ', '\t', '\u3000', '\u00a0', ' \n');
const around = (inner: fc.Arbitrary<string>) =>
  fc.tuple(whitespace, inner, whitespace).map(([a, v, b]) => `${a}${v}${b}`);

const year = fc.oneof(
  fc.integer({ min: 0, max: 9999 }).map((y) => pad(y, 4)),
  fc.constantFrom('1900', '2000', '2100', '2023', '2024', '1600', '1000', '0999', '0000', '9999'),
);
const separators = fc.constantFrom(
  ['-', '-', ''],
  ['/', '/', ''],
  ['.', '.', ''],
  ['年', '月', '日'],
  ['-', '/', ''],
);

export const nearDate = fc
  .tuple(year, fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), separators)
  .chain(([y, m, d, [a, b, c]]) =>
    fc.tuple(maybePad(m), maybePad(d)).map(([mm, dd]) => `${y}${a}${mm}${b}${dd}${c}`),
  );

export const nearTime = fc
  .tuple(
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.option(fc.integer({ min: 0, max: 61 })),
    fc.option(fc.stringMatching(/^[0-9]{1,8}$/)),
  )
  .chain(([h, m, s, f]) =>
    fc
      .tuple(maybePad(h), maybePad(m), s === null ? fc.constant('') : maybePad(s))
      .map(([hh, mm, ss]) => `${hh}:${mm}${ss ? `:${ss}${f ? `.${f}` : ''}` : ''}`),
  );

export const nearTimestamp = fc
  .tuple(nearDate, fc.constantFrom('T', ' ', '  ', 't'), nearTime)
  .map(([d, s, t]) => `${d}${s}${t}`);

const BOUNDARIES = [0n, 1n, 9n, 10n, 2n ** 31n, 2n ** 63n, 10n ** 9n, 10n ** 15n, 10n ** 18n, 10n ** 19n];

/** Integers near the int4, int8 and 15-digit boundaries, signed, separated or zero-padded. */
export const nearInteger = fc
  .tuple(
    fc.constantFrom(...BOUNDARIES),
    fc.integer({ min: -3, max: 3 }),
    fc.constantFrom('', '', '-', '+'),
    fc.constantFrom('plain', 'plain', 'separated', 'padded'),
  )
  .map(([b, delta, sign, form]) => {
    const n = b + BigInt(delta);
    const digits = (n < 0n ? -n : n).toString();
    const body =
      form === 'separated'
        ? digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
        : form === 'padded'
          ? `0${digits}`
          : digits;
    return `${n < 0n && sign === '' ? '-' : sign}${body}`;
  });

export const nearNumeric = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.stringMatching(/^[0-9]{0,20}$/),
    fc.option(fc.stringMatching(/^[0-9]{0,8}$/)),
    fc.option(
      fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 1200 })),
    ),
  )
  .map(([s, i, f, e]) => `${s}${i}${f === null ? '' : `.${f}`}${e ? `${e[0]}${e[1]}${e[2]}` : ''}`);

const SPECIALS = [
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  'inf',
  '-0',
  '+0',
  '0.0',
  '１２３',
  '１２３４-０５-０６',
  '٣',
  '1e400',
  '1e1000',
  '-1e-999',
  '24:00:00',
  '23:59:60',
  '24:00:01',
  '2023-13-01',
  '2023-02-30',
  '1900-02-29',
  '2000-02-29',
  '20230521',
  '是',
  '否',
  'YES',
  'tRuE',
  'ｙｅｓ',
  'K',
  '\u212a',
  '13812345678',
  '110105194912310021',
  '11010519491231002X',
  '91350100M000100Y43',
  '1,234,567.5',
  '1,23',
  ',123',
  '1,234,567,890,123,456,789',
  '2023-05-21T10:30:00Z',
  '2023-05-21 10:30:00+08',
  '9'.repeat(5000),
  `1.${'5'.repeat(3000)}`,
  '约5',
  '5元',
];

const charSoup = fc.string({
  unit: fc.constantFrom(
    ...'0123456789'.split(''),
    '-',
    '/',
    '.',
    ',',
    ':',
    '+',
    'e',
    'E',
    'T',
    ' ',
    '年',
    '月',
    '日',
    'X',
    '０',
  ),
  maxLength: 24,
});

/** Any storable staged value, mostly near a type's edge. */
export const stagedValue: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 3, arbitrary: around(nearInteger) },
    { weight: 3, arbitrary: around(nearDate) },
    { weight: 2, arbitrary: around(nearTimestamp) },
    { weight: 2, arbitrary: around(nearTime) },
    { weight: 2, arbitrary: around(nearNumeric) },
    { weight: 2, arbitrary: fc.constantFrom(...SPECIALS) },
    { weight: 2, arbitrary: charSoup },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  )
  .filter(storable);

/** Runs `select` over the values as rows (i, v) of a VALUES list — one round trip per batch. */
export async function overValues<R>(
  db: Db,
  values: readonly (string | null)[],
  select: (v: ReturnType<typeof sql.ref>) => ReturnType<typeof sql>,
): Promise<(R & { i: number })[]> {
  const rows = values.map((v, i) => sql`(${sql.lit(i)}, ${v === null ? sql`null::text` : sql`${v}::text`})`);
  const result = await sql<R & { i: number }>`select u.i, ${select(sql.ref('u.v'))}
    from (values ${sql.join(rows)}) u(i, v) order by u.i`.execute(db);
  return result.rows;
}
