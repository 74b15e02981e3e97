import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalText, unscaled } from './parquet-decimal.ts';

/** Big-endian two's complement in exactly `length` bytes, as FIXED_LEN_BYTE_ARRAY stores it. */
function bytesOf(value: bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let v = BigInt.asUintN(length * 8, value);
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}

describe('Parquet decimals', () => {
  it.each([
    [12345n, 2, '123.45'],
    [-5n, 2, '-0.05'],
    [0n, 2, '0.00'],
    [0n, 0, '0'],
    [-1n, 10, '-0.0000000001'],
    [123n, 0, '123'],
    [12n, -2, '1200'],
    [-(10n ** 38n - 1n), 10, '-9999999999999999999999999999.9999999999'],
  ])('%s with scale %s is %s', (value, scale, text) => {
    expect(decimalText(value, scale)).toBe(text);
  });

  it('reads the unscaled integer of every physical type', () => {
    expect(unscaled(-7)).toBe(-7n);
    expect(unscaled(2n ** 62n)).toBe(2n ** 62n);
    expect(unscaled(new Uint8Array())).toBe(0n);
    expect(unscaled(new Uint8Array([0xff]))).toBe(-1n);
    expect(unscaled(new Uint8Array([0x00, 0x80]))).toBe(128n);
    expect(unscaled(new Uint8Array([0x80, 0x00]))).toBe(-32768n);
    expect(unscaled(null)).toBeUndefined();
    expect(unscaled(1.5)).toBeUndefined();
  });

  it('round-trips any 38-digit value through 16 bytes and back to text, digit for digit', () => {
    const max = 10n ** 38n - 1n;
    fc.assert(
      fc.property(fc.bigInt({ min: -max, max }), fc.integer({ min: 0, max: 38 }), (value, scale) => {
        const text = decimalText(unscaled(bytesOf(value, 16))!, scale);
        expect(BigInt(text.replace('.', ''))).toBe(value);
        expect(text.split('.')[1]?.length ?? 0).toBe(scale);
        expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d+)?$/);
      }),
    );
  });
});
