import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highlight } from './highlight.ts';
import { queryTerms } from './segment.ts';

const marked = (text: string, terms: readonly string[]) =>
  highlight(text, terms)
    .map((s) => (s.match ? `[${s.text}]` : s.text))
    .join('');

describe('highlight', () => {
  it('marks Chinese terms anywhere and merges touching ones', () => {
    const { simple } = queryTerms('营业执照');
    expect(marked('企业营业执照办理指南', simple)).toBe('企业[营业执照]办理指南');
    expect(marked('政务数据共享交换，数据目录', queryTerms('数据共享').simple)).toBe(
      '政务[数据共享]交换，[数据]目录',
    );
  });

  it('marks English words case-insensitively and with their endings', () => {
    expect(marked('Business Licences issued', ['licence', 'issue'])).toBe('Business [Licences] [issued]');
    expect(marked('database', ['data'])).toBe('[database]');
    expect(marked('metadata', ['data'])).toBe('metadata');
  });

  it('marks codes only as whole words', () => {
    expect(marked('GB/T 12345-2020, 123456', ['12345', '2020'])).toBe('GB/T [12345]-[2020], 123456');
  });

  it('maps full-width text back to the original characters', () => {
    expect(marked('代码ＡＢＣ１２３号', ['abc123'])).toBe('代码[ＡＢＣ１２３]号');
  });

  it('returns the text as data, never as markup', () => {
    expect(highlight('<b>数据</b>', ['数据'])).toEqual([
      { text: '<b>', match: false },
      { text: '数据', match: true },
      { text: '</b>', match: false },
    ]);
  });

  it('returns the whole text unmarked without terms', () => {
    expect(highlight('数据', [])).toEqual([{ text: '数据', match: false }]);
    expect(highlight('', ['数据'])).toEqual([]);
  });

  it('segments always join back into the original text (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom(...'数据共享 ab.Ａ１') }),
    );
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 4 }), (t, terms) => {
        // A boolean, not expect(): vitest's expect is slow on arbitrary Unicode.
        const segments = highlight(t, terms);
        return segments.map((s) => s.text).join('') === t && segments.every((s) => s.text.length > 0);
      }),
    );
  });
});
