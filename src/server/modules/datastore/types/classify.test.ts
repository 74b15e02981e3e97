import { describe, expect, it } from 'vitest';
import { type ColumnType, classifyValue, DEFAULT_NULL_TOKENS, trimValue } from './classify.ts';
import { hasBooleanHint, hasIdentifierHint } from './label-hints.ts';
import { relation, textLiteral } from './sql-text.ts';

// The reference classifier on values as government spreadsheets hold them.

const types = (v: string, tokens = DEFAULT_NULL_TOKENS) => classifyValue(v, tokens).types;
const N: ColumnType[] = ['integer', 'bigint', 'numeric', 'text'];

describe('classifyValue', () => {
  it.each<[string, ColumnType[]]>([
    ['12', N],
    [' 42 ', N],
    ['\u300012\u3000', N],
    ['-0', N],
    ['+7', N],
    ['20230521', N],
    ['2147483647', N],
    ['-2147483648', N],
    ['2147483648', ['bigint', 'numeric', 'text']],
    ['-2147483649', ['bigint', 'numeric', 'text']],
    ['999999999999999', ['bigint', 'numeric', 'text']],
    ['1,234,567', N],
    ['-2,147,483,648', N],
    ['1,234,567.5', ['numeric', 'text']],
    ['3.14', ['numeric', 'text']],
    ['.5', ['numeric', 'text']],
    ['1e400', ['numeric', 'text']],
    ['6.02E23', ['numeric', 'text']],
    ['1', ['boolean', ...N]],
    ['0', ['boolean', ...N]],
    ['是', ['boolean', 'text']],
    ['否', ['boolean', 'text']],
    ['Y', ['boolean', 'text']],
    ['no', ['boolean', 'text']],
    ['TRUE', ['boolean', 'text']],
    ['2023-05-21', ['date', 'timestamp', 'text']],
    ['2023/5/21', ['date', 'timestamp', 'text']],
    ['2023.5.21', ['date', 'timestamp', 'text']],
    ['2023年5月21日', ['date', 'timestamp', 'text']],
    ['2024-02-29', ['date', 'timestamp', 'text']],
    ['2000-02-29', ['date', 'timestamp', 'text']],
    ['2023-05-21T10:30', ['timestamp', 'text']],
    ['2023-05-21 10:30:15.123456', ['timestamp', 'text']],
    ['2023/5/21 10:30', ['timestamp', 'text']],
    ['2023年5月21日 8:05', ['timestamp', 'text']],
    ['10:30', ['time', 'text']],
    ['9:05:07', ['time', 'text']],
    ['23:59:59.5', ['time', 'text']],
  ])('%j fits %j', (value, expected) => {
    expect(types(value)).toEqual(expected);
  });

  it.each([
    ['2023-02-30', 'no such day'],
    ['1900-02-29', 'not a leap year'],
    ['2023-13-01', 'no such month'],
    ['0000-01-01', 'no year 0'],
    ['2023-5-21 24:00', 'no hour 24'],
    ['24:00:01', 'no hour 24'],
    ['23:59:60', 'no leap second'],
    ['10:30:15.1234567', 'finer than microseconds'],
    ['2023-05-21T10:30:00Z', 'a time zone'],
    ['NaN', 'not a number'],
    ['Infinity', 'not a number'],
    ['１２３', 'full-width digits'],
    ['约5', 'an estimate'],
    ['5元', 'a unit'],
    ['1,23', 'a broken separator'],
    ['1.', 'no digits after the point'],
    ['1e1000', 'exponent beyond three digits'],
    [`1.${'5'.repeat(200)}`, 'too long to be an amount'],
    ['0571-88888888', 'a landline number'],
  ])('%j stays text (%s)', (value) => {
    expect(types(value)).toEqual(['text']);
  });

  it('keeps identifiers text or marks them', () => {
    expect(classifyValue('007')).toMatchObject({ types: ['text'], leadingZeros: true });
    expect(classifyValue('0571')).toMatchObject({ types: ['text'], leadingZeros: true });
    expect(classifyValue('00.5')).toMatchObject({ types: ['text'], leadingZeros: true });
    expect(classifyValue('1234567890123456')).toMatchObject({ types: ['text'], identifier: true });
    expect(classifyValue('110105194912310021')).toMatchObject({ types: ['text'], identifier: true });
    expect(classifyValue('11010519491231002X')).toMatchObject({ types: ['text'], identifier: true });
    expect(classifyValue('91350100M000100Y43')).toMatchObject({ types: ['text'], identifier: true });
    // A mobile number is an integer, but marked: a column of nothing else stays text.
    expect(classifyValue('13812345678')).toMatchObject({
      types: ['bigint', 'numeric', 'text'],
      identifier: true,
    });
    expect(classifyValue('110105491231002')).toMatchObject({ identifier: true });
    expect(classifyValue('12345678901')).toMatchObject({ identifier: false });
  });

  it('reads null tokens after trimming, and only the configured ones', () => {
    for (const v of ['', '  ', 'NA', ' N/A ', 'n/a', 'null', 'NULL', '-', '--', '无', '空', '\u3000']) {
      expect(classifyValue(v).isNull).toBe(true);
    }
    expect(classifyValue(null).isNull).toBe(true);
    expect(classifyValue('Null').isNull).toBe(false);
    expect(classifyValue('NA', []).isNull).toBe(false);
    expect(classifyValue(' 9999 ', ['9999']).isNull).toBe(true);
    expect(classifyValue('', ['NA']).types).toEqual(['text']);
  });

  it('trims the whitespace btrim is given', () => {
    expect(trimValue('\ufeff\t a b \u00a0\u3000\n')).toBe('a b');
    expect(trimValue('\u2003x')).toBe('\u2003x');
  });
});

describe('header hints', () => {
  it.each([
    '行政区划代码',
    '统一社会信用代码',
    '联系电话',
    '手机号码',
    '邮编',
    'user_id',
    'ID',
    'zipCode',
    'Case No.',
    'Tel',
  ])('%j names an identifier', (label) => expect(hasIdentifierHint(label)).toBe(true));
  it.each(['人口数', '金额（元）', 'No. of cases', 'amount', 'notes', 'video', 'identity'])(
    '%j does not',
    (label) => expect(hasIdentifierHint(label)).toBe(false),
  );
  it('knows yes/no questions', () => {
    expect(hasBooleanHint('是否公开')).toBe(true);
    expect(hasBooleanHint('is_open')).toBe(true);
    expect(hasBooleanHint('hasParking')).toBe(true);
    expect(hasBooleanHint('数量')).toBe(false);
    expect(hasBooleanHint('island')).toBe(false);
  });
});

describe('SQL text', () => {
  it('escapes constants whatever they hold', () => {
    const compiled = (b: ReturnType<typeof textLiteral>) => b.toOperationNode();
    expect(compiled(textLiteral("a'b\\c"))).toMatchObject({ sqlFragments: ["E'a''b\\\\c'"] });
    expect(() => textLiteral('a\u0000')).toThrow();
  });

  it('parses relation names instead of pasting them', () => {
    const parts = (name: string) => relation(name).toOperationNode();
    expect(parts('datastore_staging."abc-1"')).toMatchObject({
      kind: 'RawNode',
      parameters: [{ kind: 'IdentifierNode', name: 'datastore_staging' }, { name: 'abc-1' }],
    });
    expect(parts('Staging')).toMatchObject({ parameters: [{ name: 'staging' }] });
    expect(parts('"we""ird"')).toMatchObject({ parameters: [{ name: 'we"ird' }] });
    for (const bad of ['a;drop table x', 'a.', '', 'a.b.c.d', '"open', 'a b'])
      expect(() => relation(bad)).toThrow();
  });
});
