import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NULL_TOKENS, maskOfTrimmed, normalizeNullTokens, trimValue } from '../types/classify.ts';
import { BIT } from '../types/patterns.ts';
import {
  nearDate,
  nearInteger,
  nearNumeric,
  nearTime,
  nearTimestamp,
  stagedValue,
} from '../types/types.test-helpers.ts';
import { NullTokenBytes } from './field-bytes.ts';
import { fieldMask } from './field-mask.ts';

// fieldMask must give exactly the reference classifier's bits for the decoded, trimmed bytes.
// Each value is placed inside a larger buffer between bytes that would change its class if read
// (digits, ':', letters, a lead byte of 年), so reading past either end of the field shows up.

const RUNS = 20_000;
const DEFAULT_NULLS = new NullTokenBytes(DEFAULT_NULL_TOKENS);

function reference(field: Uint8Array, nulls: NullTokenBytes): number {
  const text = Buffer.from(field).toString('utf8');
  return maskOfTrimmed(trimValue(text), new Set(normalizeNullTokens(nulls.tokens)));
}

/** fieldMask of `value` placed between `before` and `after` in one buffer. */
function maskInside(value: Uint8Array, before: Uint8Array, after: Uint8Array, nulls: NullTokenBytes) {
  const buf = new Uint8Array(before.length + value.length + after.length);
  buf.set(before, 0);
  buf.set(value, before.length);
  buf.set(after, before.length + value.length);
  return fieldMask(buf, before.length, before.length + value.length, nulls);
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const mask = (s: string, nulls = DEFAULT_NULLS) => maskInside(utf8(s), utf8('9'), utf8(':0'), nulls);

// Bytes next to the field: each would change the class of many values if they were read.
const neighbour = fc
  .array(fc.constantFrom(...'0159:.,eX T-/"\n', '年', '\u3000', 'a', '\u00ff'), { maxLength: 3 })
  .map((parts) => utf8(parts.join('')));

const WHITESPACE = [
  '',
  '',
  '',
  ' ',
  '  ',
  '\t',
  '\r',
  '\n',
  '\v',
  '\f',
  '\u3000',
  '\u00a0',
  '\ufeff',
  '\u2003',
];
const whitespace = fc.constantFrom(...WHITESPACE);
const around = (inner: fc.Arbitrary<string>) =>
  fc.tuple(whitespace, inner, whitespace).map(([a, v, b]) => `${a}${v}${b}`);

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const sign = fc.constantFrom('', '', '', '+', '-');

const plainInteger = fc.tuple(sign, digits(1, 20)).map(([s, d]) => `${s}${d}`);
const mobile = fc
  .tuple(fc.constantFrom('1', '1', '2', '0'), digits(1, 1), digits(8, 10))
  .map(([a, b, c]) => `${a}${b}${c}`);
/** 15 digits with month and day around their bounds at positions 8–11. */
const oldResidentId = fc
  .tuple(digits(8, 8), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), digits(3, 3))
  .map(([a, m, d, b]) => `${a}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${b}`);
const residentIdX = fc
  .tuple(sign, digits(15, 18), fc.constantFrom('X', 'x', 'Y', '0'))
  .map(([s, d, x]) => `${s}${d}${x}`);
const creditChar = fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY', 'I', 'O', 'S', 'V', 'Z', 'a', '-');
/** Code characters, six digits (one of them sometimes not a digit), code characters. */
const creditCode = fc
  .tuple(
    fc.string({ unit: creditChar, minLength: 2, maxLength: 2 }),
    digits(6, 6),
    fc.option(fc.tuple(fc.integer({ min: 0, max: 5 }), creditChar)),
    fc.string({ unit: creditChar, minLength: 9, maxLength: 11 }),
  )
  .map(([a, b, swap, c]) => `${a}${swap ? b.slice(0, swap[0]) + swap[1] + b.slice(swap[0] + 1) : b}${c}`);
const group = fc.oneof(digits(3, 3), digits(3, 3), digits(2, 4));
const separated = fc
  .tuple(sign, digits(1, 4), fc.array(group, { minLength: 1, maxLength: 7 }))
  .chain(([s, head, groups]) =>
    fc
      .tuple(
        fc.constantFrom('', '', '.5', '.25', '.', 'e3', 'E+12', 'e-1234'),
        fc.constantFrom(...groups.map((_, i) => i)),
      )
      .map(([tail, broken]) => {
        const body = groups.map((g, i) => (i === broken && g.length !== 3 ? `${g},` : `,${g}`)).join('');
        return `${s}${head}${body}${tail}`;
      }),
  );
const exponent = fc
  .tuple(
    sign,
    digits(0, 3),
    fc.constantFrom('', '.', '.0', '.75'),
    fc.constantFrom('e', 'E', 'x'),
    sign,
    digits(0, 5),
  )
  .map(([s, i, f, e, es, ed]) => `${s}${i}${f}${e}${es}${ed}`);
const cjkDate = fc
  .tuple(digits(4, 4), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.boolean())
  .map(([y, m, d, day]) => `${y}年${m}月${d}${day ? '日' : ''}`);
const timestamp = fc.oneof(
  nearTimestamp,
  fc
    .tuple(fc.oneof(nearDate, cjkDate), fc.constantFrom('T', ' ', 't', '', '\u3000'), nearTime)
    .map(([d, sep, t]) => `${d}${sep}${t}`),
);
const time = fc.oneof(
  nearTime,
  fc
    .tuple(digits(0, 3), digits(0, 3), fc.option(digits(0, 3)), fc.option(digits(0, 7)))
    .map(([h, m, s, f]) => `${h}:${m}${s === null ? '' : `:${s}`}${f === null ? '' : `.${f}`}`),
);
const randomCase = (word: string) =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((up) => [...word].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(''));
const booleanWord = fc.oneof(
  fc
    .constantFrom('true', 't', 'yes', 'y', 'false', 'f', 'no', 'n', 'tru', 'yess', 'nope', 'on')
    .chain(randomCase),
  fc.constantFrom('是', '否', '是是', '否的', '是否', '\u212a', '\u0130'),
);
const EXAMPLES = [
  '2023-02-29',
  '2024-02-29',
  '1900-02-29',
  '2000-02-29',
  '24:00',
  '23:59',
  '1:2:3',
  '0571',
  '+12',
  '-0',
  '+0',
  '00',
  '1,234,56',
  '1,234,567',
  '1e400',
  '1e1000',
  '12345678901234567',
  '2147483647',
  '2147483648',
  '-2147483648',
  '-2147483649',
  '2,147,483,647',
  '2,147,483,648',
  '-2,147,483,648',
  '13812345678',
  '12812345678',
  '110105491231002',
  '110105491331002',
  'TRUE',
  'Yes',
  '是',
  '否 ',
  'N/A',
  'n/a',
  'NA',
  '无',
  '空',
  '-',
  '--',
  'null',
  'Null',
  '',
  '.',
  '+',
  '.5',
  '-.5e-3',
  '5.',
  '123456789012345E12',
  '12345678901234E123',
  '012345678901234E12',
  '11010519491231002X',
  '91350100MA48046016',
  'MA350100MA48046016',
  '2023年5月21日',
  '2023年5月21日 8:05',
  '2023-05-21T10:30:00.1234567',
  '2023-05-21 24:00',
  '12-3-5',
  '0999-01-01',
];
const example = fc.constantFrom(...EXAMPLES);

/** A value of every shape, valid or nearly so, with trimmed and untrimmed whitespace around. */
const shapedValue = around(
  fc.oneof(
    stagedValue,
    nearInteger,
    nearNumeric,
    plainInteger,
    mobile,
    oldResidentId,
    residentIdX,
    creditCode,
    separated,
    exponent,
    nearDate,
    cjkDate,
    { weight: 2, arbitrary: timestamp },
    { weight: 2, arbitrary: time },
    booleanWord,
    example,
  ),
);

/** Strings of the characters numbers, dates and times are made of. */
const numberSoup = fc.string({
  unit: fc.constantFrom(...'0123456789+-.,:eEtTxX /', '年', '月', '日', '是', '\u3000'),
  maxLength: 24,
});

const checkAgainstReference = (
  value: string,
  before: Uint8Array,
  after: Uint8Array,
  nulls: NullTokenBytes,
) => {
  const bytes = utf8(value);
  expect(maskInside(bytes, before, after, nulls)).toBe(reference(bytes, nulls));
};

describe('fieldMask', () => {
  it.each<[string, number]>([
    ['12', BIT.integer | BIT.bigint | BIT.numeric],
    ['\u3000 1 \ufeff', BIT.integer | BIT.bigint | BIT.numeric | BIT.boolean],
    ['2147483648', BIT.bigint | BIT.numeric],
    ['-2147483648', BIT.integer | BIT.bigint | BIT.numeric],
    ['-2,147,483,649', BIT.bigint | BIT.numeric],
    ['1,234,567,890,123,456,789', BIT.numeric],
    ['1,234,56', 0],
    ['0571', BIT.leadingZeros],
    ['00.5', BIT.leadingZeros],
    ['12345678901234567', BIT.identifier],
    ['13812345678', BIT.bigint | BIT.numeric | BIT.identifier],
    ['110105491231002', BIT.bigint | BIT.numeric | BIT.identifier],
    ['11010519491231002x', BIT.identifier],
    ['91350100M000100Y43', BIT.identifier],
    ['1e400', BIT.numeric],
    ['1e1000', 0],
    ['2024-02-29', BIT.date | BIT.timestamp],
    ['2023-02-29', 0],
    ['2023年5月21日', BIT.date | BIT.timestamp],
    ['2023/5/21 8:05:07.123456', BIT.timestamp],
    ['2023-05-21t10:30', 0],
    ['23:59:59.5', BIT.time],
    ['24:00', 0],
    ['1:2:3', 0],
    ['TrUe', BIT.boolean],
    ['否 ', BIT.boolean],
    ['N/A', BIT.null],
    ['\u3000', BIT.null],
    ['Null', 0],
    ['\u2003x', 0],
  ])('%j has bits %i', (value, bits) => {
    expect(mask(value)).toBe(bits);
    expect(reference(utf8(value), DEFAULT_NULLS)).toBe(bits);
  });

  it('reads only its own bytes of the buffer', () => {
    // Each field is followed by bytes that would change its class if they were part of it.
    const buf = utf8('0123|2024-01-0112:30|1e55|12:305');
    expect(fieldMask(buf, 0, 2, DEFAULT_NULLS)).toBe(BIT.leadingZeros);
    expect(fieldMask(buf, 5, 15, DEFAULT_NULLS)).toBe(BIT.date | BIT.timestamp);
    expect(fieldMask(buf, 21, 24, DEFAULT_NULLS)).toBe(BIT.numeric);
    expect(fieldMask(buf, 26, 31, DEFAULT_NULLS)).toBe(BIT.time);
  });

  it('uses the load’s own null tokens', () => {
    const nulls = new NullTokenBytes([' 9999 ', '是']);
    expect(mask('9999', nulls)).toBe(BIT.null);
    expect(mask('是', nulls)).toBe(BIT.null);
    expect(mask('', nulls)).toBe(0);
    expect(mask('NA', nulls)).toBe(0);
  });

  it('matches the reference on values of every shape', () => {
    fc.assert(
      fc.property(shapedValue, neighbour, neighbour, (v, before, after) =>
        checkAgainstReference(v, before, after, DEFAULT_NULLS),
      ),
      { numRuns: RUNS },
    );
  });

  it('matches the reference on strings of number characters', () => {
    fc.assert(
      fc.property(around(numberSoup), neighbour, neighbour, (v, before, after) =>
        checkAgainstReference(v, before, after, DEFAULT_NULLS),
      ),
      { numRuns: RUNS },
    );
  });

  it('matches the reference on random ASCII strings', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary-ascii', maxLength: 24 }),
        neighbour,
        neighbour,
        (v, before, after) => checkAgainstReference(v, before, after, DEFAULT_NULLS),
      ),
      { numRuns: RUNS },
    );
  });

  it('matches the reference on random Unicode strings', () => {
    const unicode = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 24 }),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      around(fc.string({ unit: 'grapheme-composite', maxLength: 6 })),
    );
    fc.assert(
      fc.property(unicode, neighbour, neighbour, (v, before, after) =>
        checkAgainstReference(v, before, after, DEFAULT_NULLS),
      ),
      { numRuns: RUNS },
    );
  });

  it('matches the reference with custom null tokens', () => {
    // NullTokenBytes stores tokens as UTF-8, so tokens must be well-formed text (as PostgreSQL needs).
    const token = fc
      .oneof(
        shapedValue,
        fc.string({ maxLength: 6 }),
        fc.constantFrom('', ' ', '\u3000', 'NA', '0', '1', 'true', '-', '无', '2024-01-01', 'a\u0000'),
      )
      .filter((t) => t.isWellFormed());
    const scenario = fc
      .array(token, { maxLength: 6 })
      .chain((tokens) =>
        fc.tuple(
          fc.constant(new NullTokenBytes(tokens)),
          tokens.length > 0 ? fc.oneof(around(fc.constantFrom(...tokens)), shapedValue) : shapedValue,
        ),
      );
    fc.assert(
      fc.property(scenario, neighbour, neighbour, ([nulls, v], before, after) =>
        checkAgainstReference(v, before, after, nulls),
      ),
      { numRuns: RUNS },
    );
  });
});
