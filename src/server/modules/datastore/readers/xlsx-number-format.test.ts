import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSections, paddedFormat } from './xlsx-number-format.ts';

describe('paddedFormat', () => {
  it.each([
    // format code, stored value, text (null: the General text stands)
    ['000000', '12345', '012345'],
    ['000000', '1', '000001'],
    ['000000', '0', '000000'],
    ['000000', '123456789', '123456789'],
    ['00000000', '1234', '00001234'],
    ['00', '7', '07'],
    ['##00', '7', '07'],
    ['"No."0000', '12', 'No.0012'],
    ['\\A0000', '5', 'A0005'],
    ['0000"号"', '12', '0012号'],
    ['0000号', '12', '0012号'],
    ['000-0000', '12345', '001-2345'],
    ['000-0000', '1234567', '123-4567'],
    ['000-0000', '123456789', '12345-6789'],
    ['0,000', '12', '0,012'],
    ['00,000', '1234567', '1,234,567'],
    ['[Red]000000', '12345', '012345'],
    ['[Color10]000000', '12345', '012345'],
    ['[$-804]000000', '12345', '012345'],
    ['[$¥-804]0000', '12', '¥0012'],
    ['000000_)', '12345', '012345 '],
    ['*-000000', '12345', '012345'],
    ['000000', '-5', '-000005'],
    ['"No."0000', '-5', '-No.0005'],
    // Fractions keep the stored value: padded to the format's zeros, never rounded to them.
    ['000000.00', '12.5', '000012.50'],
    ['000000.00', '12.345', '000012.345'],
    ['000000.00"元"', '12.5', '000012.50元'],
    ['000000.##', '12', '000012'],
    ['000000', '12.5', '000012.5'],
    ['000-0000', '1234567.25', '123-4567.25'],
    ['000000', '0.1', '000000.1'],
    // 15 significant digits as Excel keeps them, never exponent notation.
    ['000000', '1e20', '100000000000000000000'],
    ['000000', '12345.000000000002', '012345'],
    // Negative numbers and zero shown by sections of their own: General.
    ['000000;-000000', '-5', null],
    ['000000;-000000', '5', '000005'],
    ['000000;-000000;"-"', '0', null],
    ['000000;-000000;"-"', '12', '000012'],
    ['000000', '', null],
    ['000000', 'abc', null],
  ])('%s shows %s as %s', (code, raw, shown) => {
    const format = paddedFormat(code);
    expect(format).toBeDefined();
    expect(format!(raw) ?? null).toBe(shown);
  });

  it.each([
    'General',
    '0',
    '0.00',
    '#,##0',
    '#,##0.00',
    '0%',
    '00%',
    '0.00E+00',
    '00.00E+00',
    '# ?/?',
    '00/00',
    '@',
    '0.00"元"',
    '#,##0,',
    '00,',
    '0,000-000',
    '[>100]000',
    '[DBNum1]000',
    '"No."0',
    '????0',
    '',
    undefined,
  ])('leaves %s to General', (code) => {
    expect(paddedFormat(code)).toBeUndefined();
  });

  it('pads any whole number as Excel does, and keeps every fraction it stores', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 0, max: 999_999_999_999 }),
        fc.integer({ min: 0, max: 99 }),
        (zeros, whole, cents) => {
          const format = paddedFormat('0'.repeat(zeros))!;
          expect(format(String(whole))).toBe(String(whole).padStart(zeros, '0'));
          const raw = `${whole}.${String(cents).padStart(2, '0')}`;
          const stored = String(Number(raw));
          const [int, fraction] = stored.split('.');
          expect(format(raw)).toBe(`${int!.padStart(zeros, '0')}${fraction ? `.${fraction}` : ''}`);
        },
      ),
    );
  });

  it('splits sections outside quotes, escapes and tags', () => {
    expect(formatSections('000;"a;b"\\;0;[Red]0')).toEqual(['000', '"a;b"\\;0', '[Red]0']);
    expect(formatSections('0000')).toEqual(['0000']);
  });
});
