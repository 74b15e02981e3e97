import fc from 'fast-check';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import {
  isValidResidentId,
  isValidUscc,
  residentIdCheckChar,
  usccCheckChar,
} from '../../../../contracts/identifiers.ts';
import { overValues, storable } from '../types/types.test-helpers.ts';
import { isValidPhone, phoneValidSql, residentIdValidSql, usccValidSql } from './identifier-sql.ts';

// The SQL checks must judge every value as the JS validators of contracts/identifiers.ts do, on the
// engine the suite runs on (PGlite, or PostgreSQL with DATABASE_URL).

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.dispose());

async function judged(values: string[], check: (v: RawBuilder<unknown>) => RawBuilder<boolean>) {
  const rows = await overValues<{ ok: boolean | null }>(ctx.db, values, (v) => sql`${check(v)} as ok`);
  return rows.map((r) => r.ok);
}

const pick = (chars: string) => fc.constantFrom(...chars.split(''));
const word = (chars: string, min: number, max: number) =>
  fc.array(pick(chars), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** One edit of a value: a character replaced, removed, doubled, or two swapped. */
const mutated = (value: fc.Arbitrary<string>, alphabet: string) =>
  fc
    .tuple(value, fc.nat(), pick(alphabet), fc.constantFrom('replace', 'remove', 'double', 'swap', 'lower'))
    .map(([v, n, c, how]) => {
      const i = n % v.length;
      if (how === 'replace') return v.slice(0, i) + c + v.slice(i + 1);
      if (how === 'remove') return v.slice(0, i) + v.slice(i + 1);
      if (how === 'double') return v.slice(0, i) + v[i] + v.slice(i);
      if (how === 'lower') return v.toLowerCase();
      const j = (i + 1) % v.length;
      const a = v.split('');
      [a[i], a[j]] = [a[j]!, a[i]!];
      return a.join('');
    });

const two = (n: number) => String(n).padStart(2, '0');
const today = new Date();
/** Birth dates within a day of today: the engines' "today" may differ from UTC's by the time zone. */
const nearToday = (id: string) => {
  const d = Date.UTC(Number(id.slice(6, 10)), Number(id.slice(10, 12)) - 1, Number(id.slice(12, 14)));
  return Math.abs(d - today.getTime()) < 2 * 86_400_000;
};

const birth = fc.oneof(
  fc.date({
    min: new Date('1800-01-01T00:00:00Z'),
    max: new Date('2020-12-31T00:00:00Z'),
    noInvalidDate: true,
  }),
  fc.date({
    min: new Date('1700-01-01T00:00:00Z'),
    max: new Date('2199-12-31T00:00:00Z'),
    noInvalidDate: true,
  }),
);
const validId = fc
  .tuple(fc.integer({ min: 100000, max: 999999 }), birth, fc.integer({ min: 0, max: 999 }))
  .map(([region, d, seq]) => {
    const first17 = `${region}${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${String(seq).padStart(3, '0')}`;
    return first17 + residentIdCheckChar(first17);
  });
// Impossible dates (Feb 29 of common years, month 13, day 32 …) with a right check character.
const oddDateId = fc
  .tuple(
    fc.integer({ min: 1799, max: 2101 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
  )
  .map(([y, m, d]) => {
    const first17 = `330106${y}${two(m)}${two(d)}123`;
    return first17 + residentIdCheckChar(first17);
  });
const residentIds = fc
  .oneof(validId, oddDateId, mutated(validId, '0123456789Xx ０٣'), word('0123456789Xx０٣', 15, 19))
  .filter((v) => storable(v) && !(v.length === 18 && nearToday(v)));

const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const validUscc = fc
  .tuple(word(USCC, 2, 2), word('0123456789', 6, 6), word(USCC, 9, 9))
  .map(([a, b, c]) => `${a}${b}${c}${usccCheckChar(`${a}${b}${c}`)}`);
const usccs = fc.oneof(validUscc, mutated(validUscc, `${USCC}IOSVZa- `), word(`${USCC}IOSVZabcＡ０`, 17, 19));

const phones = fc.oneof(
  fc.stringMatching(/^(\+?86[ -]?)?1[0-9]{2}[ -]?[0-9]{4}[ -]?[0-9]{3,5}$/),
  fc.stringMatching(/^\(?0[0-9]{2,3}\)?[ -]?[0-9]{6,9}(-[0-9]{1,7})?$/),
  fc.stringMatching(/^[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}$/),
  word('0123456789+-() ', 1, 16),
);

const RUNS = { numRuns: 25 };

describe('identifier checks in SQL agree with the JS validators', () => {
  it('resident ID numbers (GB 11643: shape, birth date, check character)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(residentIds, { minLength: 1, maxLength: 200 }), async (values) => {
        expect(await judged(values, residentIdValidSql)).toEqual(values.map(isValidResidentId));
      }),
      RUNS,
    );
  });

  it('unified social credit codes (GB 32100)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(usccs, { minLength: 1, maxLength: 200 }), async (values) => {
        expect(await judged(values, usccValidSql)).toEqual(values.map(isValidUscc));
      }),
      RUNS,
    );
  });

  it('telephone numbers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(phones, { minLength: 1, maxLength: 200 }), async (values) => {
        expect(await judged(values, phoneValidSql)).toEqual(values.map(isValidPhone));
      }),
      RUNS,
    );
  });

  it('knows the usual cases', async () => {
    const ids = ['11010519491231002X', '110105194912310021', '11010519490229002X', '330106210001011230'];
    expect(await judged(ids, residentIdValidSql)).toEqual([true, false, false, false]);
    expect(await judged(['91350100M000100Y43', '91350100M000100Y44'], usccValidSql)).toEqual([
      isValidUscc('91350100M000100Y43'),
      false,
    ]);
    const numbers = ['13800001111', '+86 138-0000-1111', '0571-8888888', '(010) 88888888', '400-800-1234'];
    const bad = ['12800001111', '1380000111', '0571-0888888', 'abc', '138 00001111 '];
    expect(await judged([...numbers, ...bad], phoneValidSql)).toEqual([
      ...numbers.map(() => true),
      ...bad.map(() => false),
    ]);
    expect(await judged([null as unknown as string], residentIdValidSql)).toEqual([null]);
  });
});
