import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isValidResidentId,
  isValidUscc,
  maskIdentifier,
  normalizeIdentifier,
  residentIdCheckChar,
  residentIdProblem,
  usccCheckChar,
  usccProblem,
} from './identifiers.ts';

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'.split('');

/** 17 digits of a plausible resident ID: region, a real past birth date, sequence. */
const residentIdBody = fc
  .record({
    region: fc.integer({ min: 110000, max: 659999 }),
    birth: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2020-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ region, birth, seq }) => {
    const d = birth.toISOString().slice(0, 10).replaceAll('-', '');
    return `${region}${d}${String(seq).padStart(3, '0')}`;
  });

const usccBody = fc
  .record({
    head: fc.array(fc.constantFrom(...USCC_ALPHABET), { minLength: 2, maxLength: 2 }),
    region: fc.integer({ min: 110000, max: 659999 }),
    org: fc.array(fc.constantFrom(...USCC_ALPHABET), { minLength: 9, maxLength: 9 }),
  })
  .map(({ head, region, org }) => `${head.join('')}${region}${org.join('')}`);

describe('resident ID (GB 11643)', () => {
  it('accepts published valid samples', () => {
    // Sample numbers from the standard's worked example and widely used test data.
    for (const id of ['11010519491231002X', '440524188001010014', '110101199003071233']) {
      expect(residentIdProblem(id), id).toBeUndefined();
    }
  });

  it('rejects wrong checksums, formats and birth dates', () => {
    expect(residentIdProblem('110105194912310021')).toBe('checksum');
    expect(residentIdProblem('11010519491231002x')).toBe('format'); // lower-case x must be normalised first
    expect(residentIdProblem('11010519491231002')).toBe('format');
    expect(residentIdProblem('01010519491231002X')).toBe('format');
    expect(residentIdProblem('110105194902300028')).toBe('birth_date'); // 30 February
    expect(residentIdProblem('110105299901010011')).toBe('birth_date'); // in the future
    expect(isValidResidentId(normalizeIdentifier(' 11010519491231002x '))).toBe(true);
  });

  it('accepts every body completed with its computed check character', () => {
    fc.assert(fc.property(residentIdBody, (body) => isValidResidentId(body + residentIdCheckChar(body))));
  });

  it('detects every single-digit substitution', () => {
    fc.assert(
      fc.property(
        residentIdBody,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const id = body + residentIdCheckChar(body);
          const changedDigit = String((Number(id[pos]) + delta) % 10);
          const tampered = id.slice(0, pos) + changedDigit + id.slice(pos + 1);
          // A change in the region or birth-date part may break the format or date first; never pass.
          return residentIdProblem(tampered) !== undefined;
        },
      ),
    );
  });

  it('detects every adjacent transposition of different digits', () => {
    fc.assert(
      fc.property(residentIdBody, fc.integer({ min: 0, max: 15 }), (body, pos) => {
        const id = body + residentIdCheckChar(body);
        fc.pre(id[pos] !== id[pos + 1]);
        const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
        return !isValidResidentId(swapped);
      }),
    );
  });
});

describe('unified social credit code (GB 32100)', () => {
  it('accepts published valid samples', () => {
    for (const code of ['91350100M000100Y43', '91110000802100433B', '91440300708461136T']) {
      expect(usccProblem(code), code).toBeUndefined();
    }
  });

  it('rejects wrong checksums and letters outside the alphabet', () => {
    expect(usccProblem('91350100M000100Y44')).toBe('checksum');
    expect(usccProblem('91350100M000100YI3')).toBe('format'); // I is not used
    expect(usccProblem('9135010OM000100Y43')).toBe('format'); // O in the region digits
    expect(usccProblem('91350100M000100Y4')).toBe('format');
  });

  it('accepts every body completed with its computed check character', () => {
    fc.assert(fc.property(usccBody, (body) => isValidUscc(body + usccCheckChar(body))));
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(
        usccBody,
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 30 }),
        (body, pos, delta) => {
          const code = body + usccCheckChar(body);
          const isDigitSlot = pos >= 2 && pos < 8;
          const alphabet = isDigitSlot ? '0123456789' : USCC_ALPHABET.join('');
          const replacement = alphabet[(alphabet.indexOf(code[pos]!) + delta) % alphabet.length]!;
          fc.pre(replacement !== code[pos]);
          return !isValidUscc(code.slice(0, pos) + replacement + code.slice(pos + 1));
        },
      ),
    );
  });
});

describe('maskIdentifier', () => {
  it('keeps four characters at each end', () => {
    expect(maskIdentifier('11010519491231002X')).toBe('1101**********002X');
    expect(maskIdentifier('91350100M000100Y43')).toBe('9135**********0Y43');
  });

  it('never reveals the middle of any identifier', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 9, maxLength: 40 }), (value) => {
        const masked = maskIdentifier(value);
        return masked.length === value.length && masked.slice(4, -4) === '*'.repeat(value.length - 8);
      }),
    );
  });
});
