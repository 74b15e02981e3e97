import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { testDatabaseUrl } from '../../../platform/config.ts';
import { AppError } from '../../../platform/errors.ts';
import { guardSearchSql, loadSqlParser } from './search-sql.guard.ts';
import { runSearchSql } from './search-sql.run.ts';

const CITIES = '0b7d3c1e-1111-4111-8111-000000000001';
const PEOPLE = '0b7d3c1e-2222-4222-8222-000000000002';

const onPostgres = Boolean(testDatabaseUrl());
let ctx: TestContext;

beforeAll(async () => {
  await loadSqlParser();
  ctx = await createTestContext();
  const statements = [
    'CREATE SCHEMA IF NOT EXISTS datastore',
    'CREATE SCHEMA IF NOT EXISTS datastore_masked',
    `CREATE TABLE datastore."${CITIES}" (_id serial PRIMARY KEY, "城市" text, "年份" int4, "人口" numeric,
       "日期" date, "时间" timestamp, big int8, tags text[])`,
    `INSERT INTO datastore."${CITIES}" ("城市", "年份", "人口", "日期", "时间", big, tags) VALUES
       ('杭州', 2021, 1193.6, '2021-12-31', '2021-12-31 08:30:00', 9007199254740993, '{a,b}'),
       ('宁波', 2019, 940.4, NULL, NULL, 1, NULL),
       ('杭州', 2022, 1220, '2022-12-31', NULL, 2, '{}')`,
    `CREATE TABLE datastore."${PEOPLE}" (_id serial PRIMARY KEY, "姓名" text, "身份证号" text)`,
    `INSERT INTO datastore."${PEOPLE}" ("姓名", "身份证号") VALUES ('王小明', '330102199001011234')`,
    `CREATE VIEW datastore_masked."${PEOPLE}" AS
       SELECT _id, left("姓名", 1) || '**' AS "姓名", NULL::text AS "身份证号" FROM datastore."${PEOPLE}"`,
    'CREATE TABLE public.ds_probe (secret text)',
  ];
  for (const statement of statements) await sql.raw(statement).execute(ctx.db);
});
afterAll(async () => ctx?.dispose());

const onlyCities = (name: string) => (name === CITIES ? `datastore."${name}"` : undefined);
const limits = { timeoutMs: 5_000, maxRows: 100 };

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the query to fail');
}

describe(`runSearchSql (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('answers a permitted CKAN-style query with typed fields and records', async () => {
    const guarded = guardSearchSql(
      `SELECT "城市", count(*), sum("人口") AS total FROM "${CITIES}" WHERE "年份" > 2020 GROUP BY 1`,
      onlyCities,
    );
    const result = await runSearchSql(ctx.db, guarded, limits);
    expect(result.fields).toEqual([
      { id: '城市', type: 'text' },
      { id: 'count', type: 'int8' },
      { id: 'total', type: 'numeric' },
    ]);
    expect(result.records).toEqual([{ 城市: '杭州', count: 2, total: '2413.6' }]);
    expect(result.truncated).toBe(false);
  });

  it('renders values the same way on both engines, keeping integers past 2^53 exact', async () => {
    const guarded = guardSearchSql(`SELECT * FROM "${CITIES}" ORDER BY _id`, onlyCities);
    const result = await runSearchSql(ctx.db, guarded, limits);
    expect(result.fields.map((f) => `${f.id}:${f.type}`)).toEqual([
      '_id:int4',
      '城市:text',
      '年份:int4',
      '人口:numeric',
      '日期:date',
      '时间:timestamp',
      'big:int8',
      'tags:_text',
    ]);
    expect(result.records[0]).toEqual({
      _id: 1,
      城市: '杭州',
      年份: 2021,
      人口: '1193.6',
      日期: '2021-12-31',
      时间: '2021-12-31T08:30:00',
      big: '9007199254740993',
      tags: ['a', 'b'],
    });
  });

  it('returns numeric values as their exact text, as datastore_search does', async () => {
    const guarded = guardSearchSql(
      `SELECT 12345678901234567890.10::numeric AS n, 1234.5::numeric(10, 2) AS money, 1200::numeric(8, 2) AS whole,
              ARRAY[0.10, 2]::numeric[] AS list, 2.5::float8 AS f, "人口" FROM "${CITIES}" ORDER BY _id LIMIT 1`,
      onlyCities,
    );
    const result = await runSearchSql(ctx.db, guarded, limits);
    expect(result.fields.map((f) => f.type)).toEqual([
      'numeric',
      'numeric',
      'numeric',
      '_numeric',
      'float8',
      'numeric',
    ]);
    expect(result.records).toEqual([
      {
        n: '12345678901234567890.10',
        money: '1234.50',
        whole: '1200.00',
        list: ['0.10', '2'],
        f: 2.5,
        人口: '1193.6',
      },
    ]);
  });

  it('keeps duplicate and numeric column names in the field list, in order', async () => {
    const guarded = guardSearchSql(
      `SELECT 1 AS a, 'x' AS "2020", 2.5 AS a FROM "${CITIES}" LIMIT 1`,
      onlyCities,
    );
    const result = await runSearchSql(ctx.db, guarded, limits);
    expect(result.fields).toEqual([
      { id: 'a', type: 'int4' },
      { id: '2020', type: 'text' },
      { id: 'a', type: 'numeric' },
    ]);
  });

  it('reports fields for an empty result and caps the rows it returns', async () => {
    const empty = await runSearchSql(
      ctx.db,
      guardSearchSql(`SELECT "城市" FROM "${CITIES}" WHERE false`, onlyCities),
      limits,
    );
    expect(empty).toEqual({ fields: [{ id: '城市', type: 'text' }], records: [], truncated: false });

    const capped = await runSearchSql(
      ctx.db,
      guardSearchSql(`SELECT _id FROM "${CITIES}" ORDER BY _id`, onlyCities),
      { ...limits, maxRows: 2 },
    );
    expect(capped.records).toEqual([{ _id: 1 }, { _id: 2 }]);
    expect(capped.truncated).toBe(true);
  });

  it('refuses the second table when the resolver allows only the first', () => {
    let err: unknown;
    try {
      guardSearchSql(`SELECT c."城市", p."身份证号" FROM "${CITIES}" c, "${PEOPLE}" p`, onlyCities);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(403);
    expect((err as AppError).details).toMatchObject({ reason: 'table', table: PEOPLE });
  });

  it('reads the masking view the resolver substitutes, never the table behind it', async () => {
    const masked = (name: string) => (name === PEOPLE ? `datastore_masked."${name}"` : undefined);
    const result = await runSearchSql(ctx.db, guardSearchSql(`SELECT * FROM "${PEOPLE}"`, masked), limits);
    expect(result.records).toEqual([{ _id: 1, 姓名: '王**', 身份证号: null }]);
  });

  it('runs read-only: a write smuggled past the guard fails', async () => {
    // nextval is refused by the guard; calling the runner directly shows the transaction holds anyway.
    const err = await failure(
      runSearchSql(ctx.db, { sql: `SELECT nextval('datastore."${CITIES}__id_seq"')` }, limits),
    );
    expect(err.code).toBe('datastore.sql_not_allowed');
    expect(err.details?.reason).toBe('read_only');
    const after = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM ${sql.table(`datastore.${CITIES}`)}`.execute(ctx.db);
    expect(after.rows[0]?.n).toBe(3);
  });

  it('resolves unqualified names in no schema of ours', async () => {
    const err = await failure(runSearchSql(ctx.db, { sql: 'SELECT * FROM ds_probe' }, limits));
    expect(err.code).toBe('datastore.sql_invalid');
    expect(err.details?.sqlstate).toBe('42P01');
  });

  it('answers database errors in the query as validation errors', async () => {
    const err = await failure(
      runSearchSql(ctx.db, guardSearchSql(`SELECT nope FROM "${CITIES}"`, onlyCities), limits),
    );
    expect(err.code).toBe('datastore.sql_invalid');
    expect(err.status).toBe(409);
    expect(err.message).toContain('nope');
  });

  it('cuts a slow query with datastore.sql_timeout', async () => {
    // PostgreSQL cancels it at the statement timeout; PGlite cannot interrupt a statement, so it either
    // refuses the plan by its cost estimate or discards the result once the time has passed.
    const slow = guardSearchSql('SELECT count(*) FROM generate_series(1, 200000000)', onlyCities);
    const costly = await failure(runSearchSql(ctx.db, slow, { timeoutMs: 200, maxRows: 10 }));
    expect(costly.code).toBe('datastore.sql_timeout');
    expect(costly.details?.reason).toBe(onPostgres ? 'statement_timeout' : 'cost_estimate');

    const underestimated = guardSearchSql(
      'SELECT count(*) FROM generate_series(1, 1000000) a, generate_series(1, 1) b WHERE a::text LIKE $$%7%$$',
      onlyCities,
    );
    const started = Date.now();
    const err = await failure(
      runSearchSql(ctx.db, underestimated, { timeoutMs: 20, maxRows: 10, maxCost: Number.POSITIVE_INFINITY }),
    );
    expect(err.code).toBe('datastore.sql_timeout');
    expect(err.message).toContain('20 ms');
    expect(err.details?.reason).toBe(onPostgres ? 'statement_timeout' : 'elapsed');
    if (onPostgres) expect(Date.now() - started).toBeLessThan(1_500);
  });
});
