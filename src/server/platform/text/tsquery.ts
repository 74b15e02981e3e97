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

/**
 * Reads the quoted lexeme that opens at text[start] as Postgres writes one in tsquery and tsvector
 * text ('' for a quote, a backslash before any character); returns it and where its quote closes.
 */
export function readQuotedLexeme(text: string, start: number): { lexeme: string; end: number } {
  if (text[start] !== "'") throw new Error(`quote expected at ${start}`);
  let lexeme = '';
  let i = start + 1;
  for (;;) {
    const c = text[i];
    if (c === undefined) throw new Error('unterminated lexeme');
    if (c === '\\') {
      lexeme += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'" && text[i + 1] === "'") {
      lexeme += "'";
      i += 2;
    } else if (c === "'") {
      return { lexeme, end: i + 1 };
    } else {
      lexeme += c;
      i++;
    }
  }
}

/**
 * The operands of tsquery text that is an AND of plain lexemes ("'数据' & 'data'"; '' for the empty
 * query), or null for anything else: phrases, OR, NOT, weights or prefixes.
 */
export function andOperandsOf(text: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "'") return null;
    const { lexeme, end } = readQuotedLexeme(text, i);
    out.push(lexeme);
    i = end;
    if (i < text.length) {
      if (text.slice(i, i + 3) !== ' & ') return null;
      i += 3;
      if (i >= text.length) return null;
    }
  }
  return out;
}
