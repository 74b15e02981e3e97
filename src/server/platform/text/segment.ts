// Chinese + English text analysis for PostgreSQL full-text search.
//
// Postgres (and PGlite) cannot split Chinese into words, so Node segments with jieba and Postgres
// only indexes the space-separated tokens. A document's tsvector is built from two halves:
//
//   setweight(to_tsvector('simple',  $simple),  'A') || setweight(to_tsvector('english', $english), 'A')
//
// - `simple`:  Han words (jieba search mode), codes and numbers (any token with a digit), words of
//              other scripts. Lowercased here; `simple` only lowercases again.
// - `english`: Latin-script words, unstemmed: the `english` config stems them and drops stop words.
//
// A query is analysed into the same two halves (`queryTerms`), each turned into tsquery text by
// `toTsQueryText` and passed as a bind parameter to `to_tsquery('simple' | 'english', $n)`.
// Text is NFKC-normalised first, so full-width letters and digits (ＡＢＣ１２３) match ASCII ones.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

/** The two halves of a text's tsvector: see the comment at the top of segment.ts. */
export interface IndexText {
  simple: string;
  english: string;
}

/** A query analysed like indexed text: lexemes for `to_tsquery('simple')` and for `to_tsquery('english')`. */
export interface QueryTerms {
  simple: string[];
  english: string[];
}

// Tokens longer than this are blobs (base64, long hashes), not words anyone searches for.
const MAX_TOKEN_CHARS = 64;
// A query is a few words; capping the terms bounds the tsquery a hostile query can build.
const MAX_QUERY_TERMS = 32;

// Function words that jieba emits on their own. Dropped on both sides: a query 营业执照的办理
// must still find 营业执照办理, which has no 的.
const ZH_STOP_WORDS = new Set([
  ...'的地得了着过和与及或而之其等把被对在是也都就从向于以为所吗呢吧啊么呀哦',
  ...['以及', '或者', '并且', '关于', '对于', '有关', '进行'],
]);

// A Han run, or a run of other letters/digits/marks. Everything else (spaces, punctuation,
// symbols) separates tokens and is dropped.
const RUN = /(\p{Script=Han}+)|([[\p{L}\p{N}\p{M}]--\p{Script=Han}]+)/gv;
const HAS_DIGIT = /\p{N}/u;
const LATIN_WORD = /^[\p{Script=Latin}\p{M}]+$/u;
const HAN = /\p{Script=Han}/u;

let jiebaInstance: Jieba | undefined;
let jiebaLoadMs = 0;

/** Loads jieba with its bundled dictionary now (call at boot); later calls are free. Returns load ms. */
export function loadSegmenter(): number {
  if (!jiebaInstance) {
    const started = performance.now();
    // dict.txt ships inside the package; reading it directly skips the 6 MB IDF table that
    // `@node-rs/jieba/dict` also loads and that only keyword extraction needs.
    const require = createRequire(import.meta.url);
    jiebaInstance = Jieba.withDict(readFileSync(require.resolve('@node-rs/jieba/dict.txt')));
    jiebaLoadMs = performance.now() - started;
  }
  return jiebaLoadMs;
}

function jieba(): Jieba {
  loadSegmenter();
  return jiebaInstance!;
}

/** NFKC + lowercase: the one normalisation applied to indexed text, queries and highlighting. */
export function normalizeText(text: string): string {
  return text.toWellFormed().normalize('NFKC').toLowerCase();
}

/** True for tokens that belong in the `english` half (Latin letters only, no digits). */
export function isLatinWord(token: string): boolean {
  return LATIN_WORD.test(token) && !HAS_DIGIT.test(token);
}

type Sink = (token: string, han: boolean) => void;

// Walks the normalised text once: Han runs go to `onHan` (segmentation differs for index and
// query), every other run is one token.
function scan(text: string, onHan: (run: string, sink: Sink) => void, sink: Sink): void {
  for (const m of normalizeText(text).matchAll(RUN)) {
    if (m[1] !== undefined) onHan(m[1], sink);
    else if (m[2] !== undefined) sink(m[2], false);
  }
}

function keep(token: string, han: boolean): boolean {
  return token.length <= MAX_TOKEN_CHARS && !(han && ZH_STOP_WORDS.has(token));
}

/** Index tokens of a text in order: Han words in search mode (企业营业执照 → 企业 营业 执照 营业执照), codes, Latin words. */
export function indexTokens(text: string): string[] {
  const out: string[] = [];
  scan(
    text,
    (run, sink) => {
      for (const w of jieba().cutForSearch(run, true)) sink(w, true);
    },
    (token, han) => {
      if (keep(token, han)) out.push(token);
    },
  );
  return out;
}

/** The `simple` and `english` halves of a text for its tsvector (one jieba pass). */
export function indexText(text: string): IndexText {
  const simple: string[] = [];
  const english: string[] = [];
  for (const token of indexTokens(text)) (isLatinWord(token) ? english : simple).push(token);
  return { simple: simple.join(' '), english: english.join(' ') };
}

// Splits a query word into dictionary sub-words that tile it (营业执照 → 营业 执照), fewest pieces
// first, or returns the word itself when no tiling exists (不动产: 不动 + 动产 overlap).
// Why: the precise cut of a query depends on its context, and so does a document's: 大数据共享 is
// cut 大/数据共享 in one place and 大数据/共享 in another. Search mode indexes every 2- and 3-char
// dictionary word inside each word of the document, so these pieces are in the index whenever
// the whole word is, and also when the document's own cut differed.
function tile(word: string): string[] {
  const n = word.length;
  if (n < 3) return [word];
  // hmm=false: only dictionary words, which search mode is sure to emit inside the doc's word.
  const pieces = new Set(
    jieba()
      .cutForSearch(word, false)
      .filter((p) => p.length >= 2 && p.length <= 3 && p.length < n),
  );
  // best[i] = fewest pieces tiling word[0, i); via[i] = the piece ending at i.
  const best: number[] = [0];
  const via: string[] = [''];
  for (let i = 1; i <= n; i++) {
    best[i] = Number.POSITIVE_INFINITY;
    for (const p of pieces) {
      const from = i - p.length;
      if (from >= 0 && word.startsWith(p, from) && best[from]! + 1 < best[i]!) {
        best[i] = best[from]! + 1;
        via[i] = p;
      }
    }
  }
  if (!Number.isFinite(best[n])) return [word];
  const out: string[] = [];
  for (let i = n; i > 0; i -= via[i]!.length) out.unshift(via[i]!);
  return out;
}

/**
 * Analyses a search query: Han runs by jieba's precise cut, each word tiled into dictionary
 * sub-words (数据共享 → 数据, 共享), Latin words apart for the `english` config. Deduplicated and
 * capped; both arrays empty means "no full-text terms" (fall back to trigram search).
 */
export function queryTerms(query: string): QueryTerms {
  const simple = new Set<string>();
  const english = new Set<string>();
  const hanWords: string[] = [];
  scan(
    query,
    (run, sink) => {
      for (const w of jieba().cut(run, true)) sink(w, true);
    },
    (token, han) => {
      if (!keep(token, han)) return;
      if (han) hanWords.push(token);
      else (isLatinWord(token) ? english : simple).add(token);
    },
  );
  // A lone character next to real words (大 in 大数据共享) is a fragment whose segmentation
  // depends on context; requiring it would lose matches, so only a one-character query keeps it.
  const multi = hanWords.some((w) => w.length > 1) || simple.size > 0 || english.size > 0;
  for (const word of hanWords) {
    if (multi && word.length === 1) continue;
    for (const piece of tile(word)) simple.add(piece);
  }
  return {
    simple: [...simple].slice(0, MAX_QUERY_TERMS),
    english: [...english].slice(0, MAX_QUERY_TERMS),
  };
}

/** True when a token contains a Han character (used by highlighting to pick the matching rule). */
export function hasHan(token: string): boolean {
  return HAN.test(token);
}
