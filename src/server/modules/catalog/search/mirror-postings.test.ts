import { describe, expect, it } from 'vitest';
import {
  type FreshPostings,
  Hits,
  matchFresh,
  matchFrozen,
  mergePostings,
  NO_POSTINGS,
} from './mirror-postings.ts';
import { sliceOf, tsRankAnd } from './ts-rank.ts';

// The frozen segment's loops against the plain definition: the same matches, and ranks equal to
// tsRankAnd's (itself checked against PostgreSQL's ts_rank in search-mirror.test.ts) — for one word
// and two, with and without positions, and for a document too long for the postings' length column.

// Packed codes: position << 2 | weight (A = 3 … D = 0).
const code = (pos: number, weight: number) => (pos << 2) | weight;
const DOCS: Record<string, number[]>[] = [
  { air: [code(1, 3)], quality: [code(2, 3), code(9, 0)] },
  { air: [code(4, 1), code(7, 0)], quality: [] },
  { quality: [code(3, 2)] },
  { air: [], quality: [code(5, 3)], water: [code(6, 0)] },
  { air: [code(100, 0)], quality: [code(300, 2)] },
];
// The fourth document is longer than the postings' Uint16 length column holds.
const LENGTHS = [5, 12, 3, 70_000, 40];

function segments() {
  const fresh: FreshPostings = new Map();
  DOCS.forEach((doc, ord) => {
    for (const [lexeme, codes] of Object.entries(doc)) {
      const list = fresh.get(lexeme) ?? [];
      list.push(ord, codes.length, ...codes);
      fresh.set(lexeme, list);
    }
  });
  const renumber = Int32Array.from(DOCS.keys());
  const frozen = mergePostings(NO_POSTINGS, fresh, renumber, (ord) => LENGTHS[ord] as number);
  return { fresh, frozen };
}

function expected(lexemes: string[]) {
  const out: [number, number][] = [];
  DOCS.forEach((doc, ord) => {
    if (!lexemes.every((l) => l in doc)) return;
    out.push([
      ord,
      tsRankAnd(
        lexemes.map((l) => sliceOf(Uint16Array.from(doc[l] as number[]))),
        LENGTHS[ord] as number,
      ),
    ]);
  });
  return out;
}

const context = (alive = new Uint8Array(DOCS.length).fill(1)) => ({
  alive,
  lengths: Int32Array.from(LENGTHS),
  ranked: true,
});

const found = (hits: Hits) =>
  Array.from({ length: hits.count }, (_, i) => [hits.ords[i], hits.ranks[i]] as [number, number]);

describe('mirror postings', () => {
  it('match and rank one word and two exactly as tsRankAnd, in both segments', () => {
    const { fresh, frozen } = segments();
    for (const lexemes of [
      ['air'],
      ['quality'],
      ['air', 'quality'],
      ['quality', 'water'],
      ['air', 'water'],
    ]) {
      const a = new Hits();
      matchFrozen(frozen, lexemes, context(), a);
      const b = new Hits();
      matchFresh(fresh, lexemes, context(), b);
      expect(found(a)).toEqual(expected(lexemes));
      expect(found(b)).toEqual(expected(lexemes));
    }
    // The long document and the position-less lexemes took part.
    expect(expected(['air', 'quality']).map(([ord]) => ord)).toEqual([0, 1, 3, 4]);
  });

  it('skip removed documents and write nothing when a word is unknown', () => {
    const { frozen } = segments();
    const alive = new Uint8Array(DOCS.length).fill(1);
    alive[1] = 0;
    const hits = new Hits();
    matchFrozen(frozen, ['air', 'quality'], context(alive), hits);
    expect(found(hits).map(([ord]) => ord)).toEqual([0, 3, 4]);
    matchFrozen(frozen, ['air', 'nowhere'], context(), hits);
    expect(hits.count).toBe(3);
  });
});
