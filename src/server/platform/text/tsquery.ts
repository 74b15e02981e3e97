// Building tsquery text from lexemes without ever letting user input become tsquery syntax.
//
// The result is meant for a bind parameter: `to_tsquery('simple', $1)`. Each lexeme is a quoted
// operand, so `&`, `|`, `!`, `:`, `(`, `<->` inside it are plain characters; Postgres still runs
// the quoted text through the configuration's parser and dictionaries (so `english` stems it, and
// a lexeme the parser splits becomes a phrase such as 'a' <-> 'b').

// Postgres ignores words over 2047 bytes anyway; cutting earlier keeps hostile input small.
const MAX_LEXEME_CHARS = 256;

/** Quotes one lexeme as a tsquery operand: '' for a quote, \\ for a backslash; NUL removed. */
export function quoteLexeme(lexeme: string): string {
  // Postgres text cannot hold NUL, and lone UTF-16 surrogates are not valid UTF-8.
  const clean = lexeme.replaceAll('\u0000', '').slice(0, MAX_LEXEME_CHARS).toWellFormed();
  return `'${clean.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * Safe tsquery text ANDing the lexemes ("'数据' & '共享'"); '' when there is none, which
 * `to_tsquery` turns into an empty query (check `numnode(q) > 0`, or skip the clause).
 */
export function toTsQueryText(lexemes: readonly string[]): string {
  const parts: string[] = [];
  for (const lexeme of lexemes) {
    // '' is a tsquery syntax error and a blank operand means nothing.
    if (lexeme.replaceAll('\u0000', '').trim() === '') continue;
    parts.push(quoteLexeme(lexeme));
  }
  return parts.join(' & ');
}
