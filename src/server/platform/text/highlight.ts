// Highlighting search terms in the original text, for the UI to render with <mark>.
//
// Postgres's ts_headline works on its own parse of the text and knows nothing of jieba's words, so
// Chinese would be highlighted poorly. This returns plain segments instead of HTML: the UI renders
// `match` segments as <mark> elements with text content, so no markup from the data is ever
// interpreted.
import { hasHan, isLatinWord, normalizeText } from './segment.ts';

/** One piece of the original text; `match` pieces contain a search term. */
export interface HighlightSegment {
  text: string;
  match: boolean;
}

const WORD_CHAR = /[[\p{L}\p{N}\p{M}]--\p{Script=Han}]/v;
// English is stemmed by Postgres, so "licences" found "licence"; strip common endings so the
// highlight finds the word the match came from.
const LATIN_ENDING = /(?:ies|es|s|ed|ing)$/;

interface Range {
  from: number;
  to: number;
}

// The normalised text with, for each of its UTF-16 units, the original range it came from.
// Normalising per code point keeps the mapping exact (NFKC can change lengths: ＡＢＣ → abc).
function normalizeWithMap(text: string): { norm: string; from: number[]; to: number[] } {
  let norm = '';
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  for (const ch of text) {
    const n = normalizeText(ch);
    for (let k = 0; k < n.length; k++) {
      from.push(at);
      to.push(at + ch.length);
    }
    norm += n;
    at += ch.length;
  }
  return { norm, from, to };
}

function isWordAt(s: string, i: number): boolean {
  return i >= 0 && i < s.length && WORD_CHAR.test(s[i]!);
}

// Ranges of `term` in the normalised text: anywhere for Han terms (Chinese has no spaces),
// at word starts for other terms; Latin words extend to the end of the word (stemming),
// codes and numbers must end at a word boundary (12345 is not inside 123456).
function find(norm: string, term: string): Range[] {
  const han = hasHan(term);
  const latin = !han && isLatinWord(term);
  const stem = latin && term.length > 4 ? term.replace(LATIN_ENDING, '') : term;
  const out: Range[] = [];
  for (let i = norm.indexOf(stem); i >= 0; i = norm.indexOf(stem, i + 1)) {
    let end = i + stem.length;
    if (!han) {
      if (isWordAt(norm, i - 1)) continue;
      if (latin) while (isWordAt(norm, end)) end++;
      else if (isWordAt(norm, end)) continue;
    }
    out.push({ from: i, to: end });
  }
  return out;
}

/** Splits text into segments, marking every occurrence of the terms (as from `queryTerms`). */
export function highlight(text: string, terms: readonly string[]): HighlightSegment[] {
  const { norm, from, to } = normalizeWithMap(text);
  const ranges: Range[] = [];
  for (const raw of terms) {
    const term = normalizeText(raw).trim();
    if (term === '') continue;
    for (const r of find(norm, term)) ranges.push({ from: from[r.from]!, to: to[r.to - 1]! });
  }
  ranges.sort((a, b) => a.from - b.from || b.to - a.to);

  const segments: HighlightSegment[] = [];
  let at = 0;
  let open: Range | undefined;
  const flush = () => {
    if (!open) return;
    if (open.from > at) segments.push({ text: text.slice(at, open.from), match: false });
    segments.push({ text: text.slice(open.from, open.to), match: true });
    at = open.to;
    open = undefined;
  };
  for (const r of ranges) {
    // Overlapping or touching matches (数据 + 共享 in 数据共享) become one mark.
    if (open && r.from <= open.to) open.to = Math.max(open.to, r.to);
    else {
      flush();
      open = { ...r };
    }
  }
  flush();
  if (at < text.length) segments.push({ text: text.slice(at), match: false });
  return segments;
}
