import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldCipher, safeEqual } from './crypto.ts';

const cipher = new FieldCipher(randomBytes(32), randomBytes(32));

describe('FieldCipher', () => {
  it('round-trips any text and never repeats a ciphertext', () => {
    fc.assert(
      fc.property(fc.string(), (plain) => {
        const a = cipher.encrypt(plain);
        const b = cipher.encrypt(plain);
        return a !== b && cipher.decrypt(a) === plain && cipher.decrypt(b) === plain;
      }),
    );
  });

  it('refuses a tampered ciphertext (GCM authentication)', () => {
    const sealed = cipher.encrypt('11010519491231002X');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => cipher.decrypt(`v1.${raw.toString('base64url')}`)).toThrow();
  });

  it('refuses another key', () => {
    const other = new FieldCipher(randomBytes(32), randomBytes(32));
    expect(() => other.decrypt(cipher.encrypt('secret'))).toThrow();
  });

  it('gives stable blind indexes, separated by domain and key', () => {
    const other = new FieldCipher(randomBytes(32), randomBytes(32));
    expect(cipher.blindIndex('resident_id', 'x')).toBe(cipher.blindIndex('resident_id', 'x'));
    expect(cipher.blindIndex('resident_id', 'x')).not.toBe(cipher.blindIndex('uscc', 'x'));
    expect(cipher.blindIndex('resident_id', 'x')).not.toBe(other.blindIndex('resident_id', 'x'));
  });

  it('compares in constant time but correctly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
