import { isDeepStrictEqual } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexText, queryTerms } from './segment.ts';
import { andOperandsOf, quoteLexeme, toTsQueryText } from './tsquery.ts';

// Reads tsquery text back into its lexemes, failing on anything that is not `'…' & '…'`.
function decode(q: string): string[] {
  const out = andOperandsOf(q);
  if (!out) throw new Error(`not an AND of lexemes: ${q}`);
  return out;
}

const NASTY = [
  "it's",
  "'; drop table dataset; --",
  'a:b',
  'a:*',
  'x & y',
  'x | y',
  '!x',
  '(x)',
  'a <-> b',
  '\\',
  "\\'",
  "''",
  'a\u0000b',
  '\uD800',
  '数据:共享',
  'x'.repeat(10_000),
];

describe('toTsQueryText', () => {
  it('quotes each lexeme and escapes quotes and backslashes', () => {
    expect(toTsQueryText(['数据', '共享'])).toBe("'数据' & '共享'");
    expect(quoteLexeme("it's")).toBe("'it''s'");
    expect(quoteLexeme('a\\b')).toBe("'a\\\\b'");
    expect(quoteLexeme('a\u0000b')).toBe("'ab'");
    expect(toTsQueryText(['x & y', '!z', '(a|b)', 'c:*'])).toBe("'x & y' & '!z' & '(a|b)' & 'c:*'");
  });

  it('skips blank lexemes and gives "" for none', () => {
    expect(toTsQueryText([])).toBe('');
    expect(toTsQueryText(['', '  ', '\u0000', 'a'])).toBe("'a'");
  });

  it('outputs only quoted lexemes that read back as the input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 6 }), (lexemes) => {
        const kept = lexemes.map((l) => l.replaceAll('\u0000', '')).filter((l) => l.trim() !== '');
        // isDeepStrictEqual, not expect(): vitest's expect is slow on arbitrary Unicode.
        return isDeepStrictEqual(
          decode(toTsQueryText(lexemes)),
          kept.map((l) => l.toWellFormed()),
        );
      }),
    );
  });
});

describe('tsquery text in PostgreSQL (PGlite)', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = new PGlite();
    await pg.waitReady;
  });
  afterAll(async () => {
    await pg.close();
  });

  const tsquery = async (config: string, text: string) =>
    (await pg.query<{ q: string }>(`select to_tsquery('${config}', $1)::text as q`, [text])).rows[0]!.q;

  it('accepts hostile lexemes as plain words', async () => {
    for (const lexeme of NASTY) {
      await tsquery('simple', toTsQueryText([lexeme, 'ok']));
      await tsquery('english', toTsQueryText([lexeme]));
    }
    expect(await tsquery('simple', toTsQueryText(['x & y', '!z']))).toBe("'x' <-> 'y' & 'z'");
  });

  it('never fails on arbitrary lexemes or queries (property)', async () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(fc.array(text, { maxLength: 5 }), text, async (lexemes, query) => {
        await tsquery('simple', toTsQueryText(lexemes));
        await tsquery('english', toTsQueryText(lexemes));
        const terms = queryTerms(query);
        await tsquery('simple', toTsQueryText(terms.simple));
        await tsquery('english', toTsQueryText(terms.english));
      }),
      { numRuns: 200 },
    );
  });

  // The whole path the catalog uses: two-half tsvector, two-half tsquery ANDed with &&.
  const matches = async (doc: string, query: string) => {
    const { simple, english } = indexText(doc);
    const terms = queryTerms(query);
    const { rows } = await pg.query<{ hit: boolean }>(
      `select (setweight(to_tsvector('simple', $1), 'A') || setweight(to_tsvector('english', $2), 'B'))
                @@ (to_tsquery('simple', $3) && to_tsquery('english', $4)) as hit`,
      [simple, english, toTsQueryText(terms.simple), toTsQueryText(terms.english)],
    );
    return rows[0]!.hit;
  };

  it('matches Chinese, English (stemmed) and mixed queries end to end', async () => {
    expect(await matches('企业营业执照办理指南', '营业执照')).toBe(true);
    expect(await matches('政务数据共享交换', '数据共享')).toBe(true);
    expect(await matches('大数据共享平台', '数据共享')).toBe(true);
    expect(await matches('Business licences issued in 2023', 'licence issue')).toBe(true);
    expect(await matches('GB/T 12345-2020 营业执照 Business licences', '12345 执照 business')).toBe(true);
    expect(await matches('企业营业执照办理指南', '驾驶执照')).toBe(false);
    expect(await matches('Business licences issued', 'permits')).toBe(false);
  });

  it('matches with a simple-only check too', async () => {
    const { rows } = await pg.query<{ hit: boolean }>(
      "select to_tsvector('simple', $1) @@ to_tsquery('simple', $2) as hit",
      [indexText('关于印发政务数据管理办法的通知').simple, toTsQueryText(queryTerms('数据管理 办法').simple)],
    );
    expect(rows[0]!.hit).toBe(true);
  });
});
