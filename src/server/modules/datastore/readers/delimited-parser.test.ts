import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimitedParser, type ParsedRecord } from './delimited-parser.ts';

const limits = { maxFieldBytes: 1_000_000, maxQuotedLines: 5 };

function parse(pieces: string[], parserLimits = limits) {
  const parser = new DelimitedParser(',', '"', parserLimits);
  const out: ParsedRecord[] = [];
  for (const piece of pieces) parser.push(piece, out);
  parser.end(out);
  return out.map((r) => ({
    fields: r.fields,
    start: r.start,
    end: r.end,
    repairs: r.repairs?.map((x) => x.kind),
  }));
}

describe('DelimitedParser', () => {
  it('gives the same records however the text is split into chunks', () => {
    const text = fc
      .array(fc.constantFrom('a', '岚', ',', '"', '""', '\n', '\r', '\r\n', ' ', 'x"y'), { maxLength: 120 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (input.length + 1)))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let from = 0;
        for (const p of points) {
          pieces.push(input.slice(from, p));
          from = p;
        }
        pieces.push(input.slice(from));
        expect(parse(pieces)).toEqual(parse([input]));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats a quote left open for more lines than the limit as unbalanced, costing one row', () => {
    const rows = parse([`1,"open\n${'2,b\n'.repeat(10)}`]);
    expect(rows[0]).toMatchObject({ fields: ['1', '"open'], repairs: ['unbalanced_quote'] });
    expect(rows).toHaveLength(11);
  });

  it('truncates an unquoted field beyond the limit without holding the rest of it', () => {
    const parser = new DelimitedParser(',', '"', { maxFieldBytes: 10, maxQuotedLines: 5 });
    const out: ParsedRecord[] = [];
    parser.push('a,', out);
    for (let i = 0; i < 100; i++) parser.push('x'.repeat(1000), out);
    parser.push(',b\n', out);
    parser.end(out);
    expect(out.map((r) => r.fields)).toEqual([['a', 'xxxxxxxxxx', 'b']]);
    expect(out[0]!.repairs?.map((r) => r.kind)).toEqual(['truncated_field']);
  });
});
