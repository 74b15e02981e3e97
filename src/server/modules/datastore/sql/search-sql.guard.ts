import { deparseSync, loadModule, parseSync } from 'pgsql-parser';
import { AppError } from '../../../platform/errors.ts';
import {
  ALLOWED_FUNCTIONS,
  ALLOWED_NODES,
  ALLOWED_SAMPLE_METHODS,
  ALLOWED_SQL_VALUE_FUNCTIONS,
  ALLOWED_TYPES,
  SQL_SYNTAX_FUNCTIONS,
} from './search-sql.allow-list.ts';

// The parser is PostgreSQL's own grammar compiled to WebAssembly; it must be instantiated once before
// the synchronous entry points work — on first use, so that processes that never check SQL (the CLI,
// most tests) do not pay for it at start.
let parserReady: Promise<void> | undefined;
/** Instantiates the SQL parser (once); await it before guardSearchSql. */
export const loadSqlParser = (): Promise<void> => {
  parserReady ??= loadModule();
  return parserReady;
};

export const DEFAULT_MAX_SQL_LENGTH = 20_000;
// Far beyond any hand-written query, well within the JavaScript stack.
const MAX_DEPTH = 1000;

/** Maps a table name as written (a resource id) to the quoted, schema-qualified relation to read, or undefined. */
export type ResolveTable = (name: string) => string | undefined;

export interface GuardedSql {
  /** The statement to run: the checked parse tree printed back by the deparser, tables qualified. */
  sql: string;
  /** The table names (resource ids) the statement reads, each once, in order of first mention. */
  tables: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: parse trees are plain JSON of several hundred node shapes.
type Json = any;

const refuse = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError('datastore.sql_not_allowed', 403, message, { reason, ...details });

const invalid = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError('datastore.sql_invalid', 409, message, { reason, ...details });

/** Checks one CKAN datastore_search_sql statement and rewrites its tables to the relations resolveTable names. */
export function guardSearchSql(
  text: string,
  resolveTable: ResolveTable,
  opts: { maxLength?: number } = {},
): GuardedSql {
  const maxLength = opts.maxLength ?? DEFAULT_MAX_SQL_LENGTH;
  if (text.length > maxLength) {
    throw invalid('too_long', `The SQL is longer than ${maxLength} characters`, { maxLength });
  }
  const tree = parse(text);
  const stmts: Json[] = tree.stmts ?? [];
  if (stmts.length === 0) throw invalid('empty', 'The SQL contains no statement');
  if (stmts.length > 1) {
    throw refuse('multiple_statements', 'Only one statement is allowed', { statements: stmts.length });
  }
  const stmt = stmts[0].stmt;
  const kind = nodeType(stmt);
  if (kind !== 'SelectStmt') {
    throw refuse('not_select', `Only SELECT is allowed, not ${describe(kind)}`, { statement: kind });
  }

  const checker = new Checker(resolveTable);
  checker.select(stmt.SelectStmt, new Set(), 1);
  // What runs is the checked tree printed by the deparser; reading that text back must give the same
  // tree, so a deparser slip can never turn into a statement nobody checked.
  const sql = deparseSync({ version: tree.version, stmts: [{ stmt }] }, { pretty: false });
  const reparsed = parse(sql).stmts ?? [];
  if (reparsed.length !== 1 || !sameTree(reparsed[0].stmt, stmt)) {
    throw refuse('unsupported', 'This statement cannot be checked safely; simplify it');
  }
  return { sql, tables: [...checker.tables] };
}

function parse(text: string): Json {
  try {
    return parseSync(text);
  } catch (err) {
    const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    throw invalid('syntax', `SQL syntax error: ${(err as Error).message}`, {
      position: details?.cursorPosition,
    });
  }
}

class Checker {
  readonly tables = new Set<string>();
  constructor(private readonly resolveTable: ResolveTable) {}

  /** A SELECT (or one branch of a set operation) with the CTE names visible to it. */
  select(s: Json, scope: ReadonlySet<string>, depth: number): void {
    if (s.intoClause) throw refuse('select_into', 'SELECT … INTO creates a table and is not allowed');
    if (s.lockingClause) throw refuse('locking', 'FOR UPDATE / FOR SHARE is not allowed');
    let visible = scope;
    if (s.withClause) visible = this.withClause(s.withClause, scope, depth + 1);
    for (const [key, value] of Object.entries(s)) {
      if (key === 'withClause') continue;
      if (key === 'larg' || key === 'rarg') this.select(value, visible, depth + 1);
      else this.walk(value, visible, depth + 1);
    }
  }

  // A non-recursive WITH sees only the CTEs defined before it: treating a later name as a CTE would leave
  // it unqualified, and PostgreSQL would then find the catalog table of that name instead.
  private withClause(w: Json, scope: ReadonlySet<string>, depth: number): ReadonlySet<string> {
    // Recursion has no bound but the timeout, and the embedded engine cannot interrupt a statement.
    if (w.recursive) throw refuse('recursive_cte', 'WITH RECURSIVE is not allowed');
    const visible = new Set(scope);
    for (const item of w.ctes ?? []) {
      const cte = item.CommonTableExpr;
      if (!cte) throw refuse('node', 'Unexpected item in WITH');
      const body = cte.ctequery;
      const kind = nodeType(body);
      if (kind !== 'SelectStmt') {
        throw refuse('data_modifying_cte', `WITH may only contain SELECT, not ${describe(kind)}`, {
          statement: kind,
        });
      }
      if (cte.search_clause || cte.cycle_clause)
        throw refuse('recursive_cte', 'WITH RECURSIVE is not allowed');
      this.select(body.SelectStmt, visible, depth + 1);
      visible.add(cte.ctename);
    }
    return visible;
  }

  /** Any value of the tree: arrays and inline structures are searched for nodes, each node checked. */
  private walk(value: Json, scope: ReadonlySet<string>, depth: number): void {
    if (depth > MAX_DEPTH) throw refuse('too_complex', 'The SQL is nested too deeply');
    if (Array.isArray(value)) {
      for (const item of value) this.walk(item, scope, depth + 1);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      // Node types are CamelCase (A_Const, SelectStmt); fields of a node are lower case.
      if (/^[A-Z]/.test(key)) this.node(key, inner, scope, depth + 1);
      else if (key === 'typeName') this.typeName(inner);
      else if (key === 'intoClause') throw refuse('select_into', 'SELECT … INTO is not allowed');
      else this.walk(inner, scope, depth + 1);
    }
  }

  private node(kind: string, n: Json, scope: ReadonlySet<string>, depth: number): void {
    if (!ALLOWED_NODES.has(kind)) {
      throw refuse('node', `${describe(kind)} is not allowed in a datastore query`, { node: kind });
    }
    switch (kind) {
      case 'SelectStmt':
        this.select(n, scope, depth);
        return;
      case 'RangeVar':
        this.rangeVar(n, scope);
        return;
      case 'FuncCall':
        this.funcName(n.funcname);
        break;
      case 'TypeName':
        this.typeName(n);
        break;
      case 'ColumnRef': {
        // t.pg_column_size is PostgreSQL's attribute notation for pg_column_size(t).
        const last = names(n.fields).at(-1) ?? '';
        if (n.fields.length > 1 && last.startsWith('pg_')) {
          throw refuse('function', `Function ${last}() is not allowed`, { function: last });
        }
        break;
      }
      case 'A_Expr':
        // OPERATOR(schema.op) reaches operators outside the default search path.
        if ((n.name ?? []).length > 1) throw refuse('operator', 'Schema-qualified operators are not allowed');
        break;
      case 'SQLValueFunction':
        if (!ALLOWED_SQL_VALUE_FUNCTIONS.has(n.op)) {
          throw refuse('function', 'Session information such as CURRENT_USER is not available', { op: n.op });
        }
        break;
      case 'RangeTableSample': {
        const method = names(n.method);
        if (method.length !== 1 || !ALLOWED_SAMPLE_METHODS.has(method[0]!)) {
          throw refuse('function', `TABLESAMPLE ${method.join('.')} is not allowed`);
        }
        break;
      }
    }
    this.walk(n, scope, depth);
  }

  private rangeVar(rv: Json, scope: ReadonlySet<string>): void {
    const written = [rv.catalogname, rv.schemaname, rv.relname].filter(Boolean).join('.');
    if (rv.catalogname || rv.schemaname) {
      throw refuse('qualified_table', `Refer to tables by resource id only, not "${written}"`, {
        table: written,
      });
    }
    if (scope.has(rv.relname)) return;
    const resolved = this.resolveTable(rv.relname);
    if (resolved === undefined) {
      throw refuse('table', `Table "${rv.relname}" does not exist or you may not read it`, {
        table: rv.relname,
      });
    }
    const target = relationOf(resolved);
    // Keep the written name as the alias so "<resource id>".column still resolves after qualifying.
    if (!rv.alias) rv.alias = { aliasname: rv.relname };
    this.tables.add(rv.relname);
    rv.schemaname = target.schemaname;
    rv.relname = target.relname;
  }

  private funcName(funcname: Json): void {
    const parts = names(funcname);
    const name = parts[parts.length - 1] ?? '';
    const allowed =
      parts.length === 1
        ? ALLOWED_FUNCTIONS.has(name)
        : parts.length === 2 && parts[0] === 'pg_catalog' && SQL_SYNTAX_FUNCTIONS.has(name);
    if (!allowed) {
      const written = parts.join('.');
      throw refuse('function', `Function ${written}() is not allowed`, { function: written });
    }
  }

  private typeName(t: Json): void {
    const parts = names(t.names);
    const name = parts[parts.length - 1] ?? '';
    const qualifiedOk = parts.length === 1 || (parts.length === 2 && parts[0] === 'pg_catalog');
    if (!qualifiedOk || !ALLOWED_TYPES.has(name) || t.pct_type || t.setof) {
      const written = parts.join('.');
      throw refuse('type', `Type ${written} is not allowed`, { type: written });
    }
    this.walk(t.typmods, new Set(), 1);
  }
}

/** The single schema-qualified table a resolver answer names; anything else is a programming error. */
function relationOf(resolved: string): { schemaname: string; relname: string } {
  const from = parseSync(`SELECT FROM ${resolved}`).stmts?.[0]?.stmt as Json;
  const items = from?.SelectStmt?.fromClause ?? [];
  const rv = items.length === 1 ? items[0].RangeVar : undefined;
  if (!rv?.schemaname || !rv.relname || rv.catalogname || rv.alias) {
    throw new Error(`resolveTable must return one schema-qualified relation, got ${resolved}`);
  }
  return { schemaname: rv.schemaname, relname: rv.relname };
}

const nodeType = (node: Json): string => Object.keys(node ?? {})[0] ?? 'nothing';

const names = (list: Json): string[] => (list ?? []).map((item: Json) => String(item?.String?.sval ?? '?'));

// SelectStmt → "SELECT", DeleteStmt → "DELETE", VariableSetStmt → "VariableSet": good enough to name it.
const describe = (kind: string) =>
  kind.endsWith('Stmt') && kind.length <= 12 ? kind.slice(0, -4).toUpperCase() : kind.replace(/Stmt$/, '');

// Every field of the PostgreSQL 18 parse tree that holds an offset into the text (@pgsql/types).
const POSITIONS = new Set([
  'location',
  'name_location',
  'stmt_location',
  'stmt_len',
  'list_start',
  'list_end',
  'rexpr_list_start',
  'rexpr_list_end',
]);

const sameTree = (a: Json, b: Json) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

// Positions change when the text is printed again and the rewrite adds fields in its own order;
// nothing else may differ.
function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(value).sort()) {
    if (!POSITIONS.has(key)) out[key] = canonical(value[key]);
  }
  return out;
}
