export { type HighlightSegment, highlight } from './highlight.ts';
export {
  type IndexText,
  indexText,
  indexTokens,
  isLatinWord,
  loadSegmenter,
  normalizeText,
  type QueryTerms,
  queryTerms,
} from './segment.ts';
export { andOperandsOf, quoteLexeme, readQuotedLexeme, toTsQueryText } from './tsquery.ts';
