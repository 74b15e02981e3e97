import { describe, expect, it } from 'vitest';
import type { TestClient } from '../../../../test/support/test-app.ts';
import { injectionTables, TRICKY } from './query-injection.test-helpers.ts';

// SQL injection through datastore_search_sql (see query-injection.test.ts for datastore_search's
// parameters): writes, file and catalog functions, and tables the caller may not read are refused
// with a CKAN Authorization Error, never a 500; a legitimate SELECT answers with the rows.

const tables = injectionTables();
const { searchSql, intact } = tables;

describe('datastore_search_sql escapes', () => {
  const refused = async (text: string, client: TestClient = tables.anonymous, reason?: string) => {
    const res = await searchSql(text, client);
    expect(res.statusCode, `${text}: ${res.body}`).toBe(403);
    expect(res.json().error.__type).toBe('Authorization Error');
    if (reason) expect(res.json().error.message, text).toMatch(reason);
    return res;
  };

  it('refuses writes, for the public and for the table’s own steward alike', async () => {
    for (const client of [tables.anonymous, tables.a.steward]) {
      for (const text of [
        `DELETE FROM "${tables.id}"`,
        `UPDATE "${tables.id}" SET "数量" = 0`,
        `INSERT INTO "${tables.id}" ("名称") VALUES ('x')`,
        `CREATE TABLE stolen AS SELECT * FROM "${tables.id}"`,
        `SELECT * INTO stolen2 FROM "${tables.id}"`,
        `WITH d AS (DELETE FROM "${tables.id}" RETURNING *) SELECT * FROM d`,
        `SELECT * FROM "${tables.id}"; DROP TABLE datastore_loads`,
        `DROP TABLE "${tables.id}"`,
        `TRUNCATE "${tables.id}"`,
        `COPY "${tables.id}" TO '/tmp/stolen.csv'`,
        `SELECT * FROM "${tables.id}" FOR UPDATE`,
      ]) {
        await refused(text, client);
      }
    }
    await intact();
  });

  it('refuses file, catalog and setting functions', async () => {
    for (const text of [
      `SELECT pg_read_file('/etc/passwd')`,
      `SELECT pg_catalog.pg_read_file('/etc/passwd')`,
      `SELECT * FROM "${tables.id}" WHERE pg_read_file('/etc/passwd') IS NOT NULL`,
      `SELECT pg_sleep(5)`,
      `SELECT current_setting('data_directory')`,
      `SELECT * FROM pg_catalog.pg_authid`,
      `SELECT * FROM pg_shadow`,
      `SELECT * FROM datastore_loads`,
      `SELECT * FROM public.people`,
      `SELECT 'people'::regclass`,
    ]) {
      await refused(text, tables.a.steward);
    }
  });

  it('refuses another department’s table that is not shared, by its resource id', async () => {
    for (const client of [tables.anonymous, tables.a.steward, tables.a.handler]) {
      await refused(`SELECT * FROM "${tables.hiddenId}"`, client, tables.hiddenId);
      await refused(
        `SELECT "名称" FROM "${tables.id}" UNION SELECT "名称" FROM "${tables.hiddenId}"`,
        client,
        tables.hiddenId,
      );
      await refused(
        `SELECT * FROM "${tables.id}" WHERE EXISTS (SELECT 1 FROM "${tables.hiddenId.toUpperCase()}")`,
        client,
      );
    }
    const own = await searchSql(`SELECT "名称" FROM "${tables.hiddenId}"`, tables.b.steward);
    expect(own.json().result.records).toEqual([{ 名称: '乙局内部' }]);
  });

  it('refuses version tables and other classes’ masked views, however they are named', async () => {
    for (const client of [tables.anonymous, tables.a.handler, tables.a.steward]) {
      for (const text of [
        `SELECT * FROM datastore."${tables.id}@1"`,
        `SELECT * FROM "datastore"."${tables.id}@1"`,
        `SELECT * FROM "${tables.id}@1"`,
        `SELECT * FROM datastore."${tables.id}"`,
        `SELECT * FROM datastore."${tables.hiddenId}@1"`,
        `SELECT * FROM datastore_masked."${tables.id}:member"`,
        `SELECT * FROM datastore_masked."${tables.id}:staff"`,
        `SELECT * FROM "datastore_masked"."${tables.hiddenId}:public"`,
        `SELECT * FROM "${tables.id}:member"`,
        `SELECT * FROM "${tables.hiddenId}:staff"`,
      ]) {
        await refused(text, client);
      }
    }
  });

  it('answers a syntax error as a validation error and a legitimate SELECT with the rows', async () => {
    const bad = await searchSql(`SELECT * FROM "${tables.id}" WHERE "名称" = 'O'Brien'`);
    expect(bad.statusCode).toBe(409);
    expect(bad.json().error.__type).toBe('Validation Error');
    const good = await searchSql(`SELECT "名称" FROM "${tables.id}" WHERE "名称" = 'O''Brien'`);
    expect(good.json().result.records).toEqual([{ 名称: TRICKY.quote }]);
    const sleeper = await searchSql(
      `SELECT "数量" FROM "${tables.id}" WHERE "名称" = $$'; select pg_sleep(5)--$$`,
    );
    expect(sleeper.json().result.records).toEqual([{ 数量: 4 }]);
    await intact();
  });
});
