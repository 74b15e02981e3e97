import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexText, indexTokens, isLatinWord, loadSegmenter, queryTerms } from './segment.ts';

// Query terms must all be in the index of any text that contains the query.
function found(query: string, text: string): boolean {
  const index = new Set(indexTokens(text));
  const { simple, english } = queryTerms(query);
  return [...simple, ...english].every((t) => index.has(t));
}

describe('indexTokens / indexText', () => {
  it('segments Chinese in search mode: compounds and their parts', () => {
    const tokens = indexTokens('企业营业执照办理指南');
    expect(tokens).toEqual(expect.arrayContaining(['企业', '营业', '执照', '营业执照', '办理', '指南']));
    expect(indexText('企业营业执照办理指南')).toEqual({
      simple: '企业 营业 执照 营业执照 办理 指南',
      english: '',
    });
  });

  it('indexes 数据 and 共享 inside 政务数据共享交换', () => {
    expect(indexTokens('政务数据共享交换')).toEqual(expect.arrayContaining(['政务', '数据', '共享', '交换']));
  });

  it('keeps English words unstemmed and lowercased for the english config', () => {
    expect(indexText('Business licences issued')).toEqual({
      simple: '',
      english: 'business licences issued',
    });
  });

  it('splits mixed text: Han words, codes and numbers to simple, Latin words to english', () => {
    const { simple, english } = indexText(
      'GB/T 12345-2020《统一社会信用代码》91110000MA01ABCD, COVID-19 防控',
    );
    expect(simple.split(' ')).toEqual(
      expect.arrayContaining([
        '12345',
        '2020',
        '统一',
        '社会',
        '信用',
        '代码',
        '91110000ma01abcd',
        '19',
        '防控',
      ]),
    );
    expect(english).toBe('gb t covid');
  });

  it('normalises full-width letters and digits (NFKC) and drops punctuation', () => {
    expect(indexTokens('ＡＢＣ１２３，数据！')).toEqual(['abc123', '数据']);
    expect(indexTokens('「」【】…—·！？；：')).toEqual([]);
  });

  it('drops Chinese function words', () => {
    expect(indexTokens('关于营业执照的办理')).not.toContain('的');
    expect(indexTokens('关于营业执照的办理')).not.toContain('关于');
  });

  it('keeps other scripts as whole words in the simple half', () => {
    expect(indexText('Москва Ελληνικά café')).toEqual({ simple: 'москва ελληνικά', english: 'café' });
  });

  it('loads jieba once', () => {
    const first = loadSegmenter();
    expect(loadSegmenter()).toBe(first);
  });
});

describe('queryTerms', () => {
  it('finds 营业执照 in 企业营业执照办理指南', () => {
    const { simple, english } = queryTerms('营业执照');
    expect(simple.length).toBeGreaterThan(0);
    expect(english).toEqual([]);
    expect(found('营业执照', '企业营业执照办理指南')).toBe(true);
  });

  it('splits 数据共享 into 数据 and 共享', () => {
    expect(queryTerms('数据共享')).toEqual({ simple: ['数据', '共享'], english: [] });
    expect(found('数据共享', '政务数据共享交换')).toBe(true);
  });

  it('still finds a compound the document segmented differently (大数据/共享)', () => {
    expect(found('数据共享', '大数据共享平台')).toBe(true);
    expect(found('营业执照', '个体工商户营业执照')).toBe(true);
  });

  it('keeps a word that no dictionary pieces tile', () => {
    expect(queryTerms('不动产登记').simple).toEqual(['不动产', '登记']);
  });

  it('ignores function words and lone characters next to real words', () => {
    expect(queryTerms('营业执照的办理').simple).toEqual(['营业', '执照', '办理']);
    expect(found('营业执照的办理', '营业执照办理')).toBe(true);
    expect(queryTerms('税').simple).toEqual(['税']);
  });

  it('puts English words in english and codes in simple', () => {
    expect(queryTerms('Business licences')).toEqual({ simple: [], english: ['business', 'licences'] });
    expect(queryTerms('GB/T 12345 营业执照')).toEqual({
      simple: ['12345', '营业', '执照'],
      english: ['gb', 't'],
    });
    expect(found('business LICENCES', 'Business licences issued')).toBe(true);
  });

  it('gives no terms for empty, blank or punctuation-only queries', () => {
    for (const q of ['', '   ', '\t\n', '，。！？', '!!! ??? ...', '&|!():*\'"\\', '的了']) {
      expect(queryTerms(q)).toEqual({ simple: [], english: [] });
    }
  });

  it('deduplicates and caps the terms', () => {
    expect(queryTerms('数据 数据 数据').simple).toEqual(['数据']);
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(queryTerms(many).simple).toHaveLength(32);
  });

  it('every query term of a text is in that text’s index (property)', () => {
    const unit = fc.constantFrom(
      ...'数据共享营业执照企业政务开放平台大中华人民共和国不动产登记的了和 ,.，。abcXYZ019-'.split(''),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => found(text, text)),
      { numRuns: 300 },
    );
  });

  it('classifies Latin words', () => {
    expect(isLatinWord('café')).toBe(true);
    expect(isLatinWord('abc1')).toBe(false);
    expect(isLatinWord('дом')).toBe(false);
  });
});
