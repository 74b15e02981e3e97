// The subset of Solr/Lucene query syntax that CKAN clients send in package_search's `fq`:
//
//   field:value   field:"quoted \"value\""   field:(a OR b)   field:[from TO to]   (…)
//   AND  OR  NOT  -clause  +clause  and adjacent clauses ANDed (CKAN's default q.op is AND)
//
// Precedence is NOT (and -, +) over AND over OR, as in SQL; Lucene's own mixing of AND and OR is
// order-dependent and no client relies on it. `*` and NOW stay literal values: what they mean is
// the filter's business (a bare `field:*` is "has a value"). A value right after `field:` may
// contain unescaped colons, so `metadata_modified:2020-01-01T00:00:00Z` works as clients send it.
// Exclusive ranges `{a TO b}`, boosts and proximity are not supported.

/** A parsed fq expression; `term.exact` is true for a quoted value, `range` bounds are null for `*`. */
export type FqNode =
  | { kind: 'term'; field: string; value: string; exact: boolean }
  | { kind: 'range'; field: string; from: string | null; to: string | null }
  | { kind: 'and' | 'or'; children: FqNode[] }
  | { kind: 'not'; child: FqNode };

/** A syntax error in fq text, with the 0-based character position where it was found. */
export class FqSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at position ${position})`);
    this.name = 'FqSyntaxError';
  }
}

// Hostile input must not exhaust the stack or the CPU: the parser recurses once per group or
// prefix operator, and its work is linear in the input.
export const FQ_MAX_LENGTH = 4000;
export const FQ_MAX_DEPTH = 32;

const FIELD = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const WS = /\s/;
// Characters that end a bare value. ':' ends one only where a field could start (inside a group).
const VALUE_END = new Set(['(', ')', '[', ']', '{', '}', '"']);
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'TO']);

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly allowed?: ReadonlySet<string>,
  ) {}

  parse(): FqNode | null {
    this.ws();
    if (this.pos >= this.src.length) return null;
    const node = this.or(null);
    this.ws();
    if (this.pos < this.src.length) {
      const c = this.src[this.pos];
      throw this.fail(c === ')' ? 'Unbalanced ")": no "(" to close' : `Unexpected "${c}"`);
    }
    return node;
  }

  // `field` is the default field inside `field:( … )`, null at the top level.
  private or(field: string | null): FqNode {
    const children = [this.and(field)];
    while (this.keyword('OR')) children.push(this.and(field));
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private and(field: string | null): FqNode {
    const children = [this.unary(field)];
    for (;;) {
      this.ws();
      if (this.pos >= this.src.length || this.src[this.pos] === ')' || this.at('OR')) break;
      this.keyword('AND');
      children.push(this.unary(field));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private unary(field: string | null): FqNode {
    this.ws();
    const c = this.src[this.pos];
    if (this.keyword('NOT') || c === '-' || c === '+') {
      if (c === '-' || c === '+') this.pos++;
      this.enter();
      const child = this.unary(field);
      this.depth--;
      return c === '+' ? child : { kind: 'not', child };
    }
    return this.primary(field);
  }

  private primary(field: string | null): FqNode {
    this.ws();
    const start = this.pos;
    const c = this.src[start];
    if (c === undefined || c === ')') throw this.fail('Expected a clause');
    for (const k of ['AND', 'OR', 'TO'])
      if (this.at(k)) throw this.fail(`Unexpected "${k}": a clause must come first`);
    if (c === '(') return this.group(field);
    FIELD.lastIndex = start;
    const name = FIELD.exec(this.src)?.[0];
    if (name !== undefined && this.src[start + name.length] === ':') {
      if (this.allowed && !this.allowed.has(name)) {
        const list = [...this.allowed].sort().join(', ');
        throw new FqSyntaxError(`Unknown field "${name}"; allowed fields: ${list}`, start);
      }
      this.pos = start + name.length + 1;
      return this.value(name, true);
    }
    if (field === null) throw this.fail('Expected field:value');
    return this.value(field, false);
  }

  private group(field: string | null): FqNode {
    const open = this.pos++;
    this.enter();
    const node = this.or(field);
    this.ws();
    if (this.src[this.pos] !== ')') throw new FqSyntaxError('Unbalanced "(": missing ")"', open);
    this.pos++;
    this.depth--;
    return node;
  }

  // The value of `field`; `direct` right after `field:`, where colons may be part of the value.
  private value(field: string, direct: boolean): FqNode {
    const c = this.src[this.pos];
    if (direct && c === '(') return this.group(field);
    if (c === '[') return this.range(field);
    if (c === '{') throw this.fail('Exclusive ranges {a TO b} are not supported: use [a TO b]');
    if (c === '"') return { kind: 'term', field, value: this.quoted(), exact: true };
    const start = this.pos;
    const value = this.bare((ch) => WS.test(ch) || VALUE_END.has(ch) || (!direct && ch === ':'));
    if (this.pos === start) throw new FqSyntaxError(`Expected a value for "${field}"`, start);
    return { kind: 'term', field, value, exact: false };
  }

  private range(field: string): FqNode {
    const open = this.pos++;
    this.ws();
    const from = this.bound();
    this.ws();
    if (!this.keyword('TO')) throw this.fail('Expected "TO" in range');
    const to = this.bound();
    this.ws();
    const c = this.src[this.pos];
    if (c === '}') throw this.fail('Exclusive ranges {a TO b} are not supported: use [a TO b]');
    if (c !== ']') throw new FqSyntaxError('Unbalanced "[": missing "]"', open);
    this.pos++;
    return { kind: 'range', field, from, to };
  }

  private bound(): string | null {
    this.ws();
    if (this.src[this.pos] === '"') return this.quoted();
    const start = this.pos;
    const value = this.bare((ch) => WS.test(ch) || ch === ']' || ch === '}');
    if (this.pos === start) throw this.fail('Expected a range bound (a value or *)');
    return this.src.slice(start, this.pos) === '*' ? null : value;
  }

  private quoted(): string {
    const open = this.pos++;
    let out = '';
    for (;;) {
      const c = this.src[this.pos++];
      if (c === undefined) throw new FqSyntaxError('Unbalanced quote: missing closing "', open);
      if (c === '"') return out;
      if (c === '\\') {
        const next = this.src[this.pos++];
        if (next === undefined) throw new FqSyntaxError('Unbalanced quote: missing closing "', open);
        out += next;
      } else out += c;
    }
  }

  // Reads characters until `ends`; a backslash makes the next character literal.
  private bare(ends: (ch: string) => boolean): string {
    let out = '';
    for (;;) {
      const c = this.src[this.pos];
      if (c === undefined || ends(c)) return out;
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === undefined) throw this.fail('Nothing to escape after "\\"');
        out += next;
        this.pos += 2;
      } else {
        out += c;
        this.pos++;
      }
    }
  }

  private enter(): void {
    if (++this.depth > FQ_MAX_DEPTH) throw this.fail(`Nested deeper than ${FQ_MAX_DEPTH} levels`);
  }

  private ws(): void {
    while (this.pos < this.src.length && WS.test(this.src[this.pos]!)) this.pos++;
  }

  // A keyword is a whole upper-case word; `ORG:x` and `AND:x` are not keywords.
  private at(word: string): boolean {
    if (!this.src.startsWith(word, this.pos)) return false;
    const after = this.src[this.pos + word.length];
    return after === undefined || WS.test(after) || after === '(' || after === ')' || after === '"';
  }

  private keyword(word: string): boolean {
    this.ws();
    if (!this.at(word)) return false;
    this.pos += word.length;
    return true;
  }

  private fail(message: string): FqSyntaxError {
    return new FqSyntaxError(message, this.pos);
  }
}

/** Parses CKAN `fq` text; null when it is blank. Throws FqSyntaxError (only) on bad input or unknown fields. */
export function parseFq(input: string, allowedFields?: ReadonlySet<string>): FqNode | null {
  if (input.length > FQ_MAX_LENGTH)
    throw new FqSyntaxError(`Filter longer than ${FQ_MAX_LENGTH} characters`, FQ_MAX_LENGTH);
  return new Parser(input, allowedFields).parse();
}

// A bare value escapes what would end it or read as syntax; a keyword gets its first letter escaped.
// Colons stay: formatFq prints every value right after `field:`, where they are part of the value.
function bareValue(value: string): string {
  if (value === '') return '""';
  const escaped = value.replace(/[\s\\()[\]{}"]/g, (c) => `\\${c}`);
  return KEYWORDS.has(value) ? `\\${escaped}` : escaped;
}

const quote = (value: string) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

function bound(value: string | null): string {
  if (value === null) return '*';
  return /^[^\s\\[\]{}"]+$/.test(value) && value !== '*' && value !== 'TO' ? value : quote(value);
}

/** Prints an AST as fq text that parses back to the same AST. */
export function formatFq(node: FqNode): string {
  const nested = (child: FqNode) =>
    child.kind === 'and' || child.kind === 'or' ? `(${formatFq(child)})` : formatFq(child);
  switch (node.kind) {
    case 'term':
      return `${node.field}:${node.exact ? quote(node.value) : bareValue(node.value)}`;
    case 'range':
      return `${node.field}:[${bound(node.from)} TO ${bound(node.to)}]`;
    case 'and':
    case 'or':
      return node.children.map(nested).join(node.kind === 'and' ? ' AND ' : ' OR ');
    case 'not':
      return `NOT ${nested(node.child)}`;
  }
}
