import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import { grantedAccess, projectGrant } from './grant-projection.ts';

// The projection compiled to SQL text, without a database: which columns leave, how, and which rows.

const compiler = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const col = (
  id: string,
  sensitivity: DictionaryColumn['sensitivity'],
  extra: Partial<DictionaryColumn> = {},
) => ({ id, label: id, type: 'text', sensitivity, mask: 'none', ...extra }) as DictionaryColumn;
const DICTIONARY = [
  col('姓名', 'personal', { mask: 'name' }),
  col('身份证号', 'personal', { mask: 'id_number', subject: 'resident_id' }),
  col('区县', 'public'),
  col('备注', 'internal'),
  col('密钥', 'secret'),
];
const DIST = '00000000-0000-4000-8000-000000000001';

const compiled = (grant: Parameters<typeof projectGrant>[0]) => {
  const p = projectGrant(grant, DICTIONARY);
  const q = sql`select ${p.select} from ${p.from} where ${p.where}`.compile(compiler);
  return { p, text: q.sql, parameters: q.parameters };
};

describe('projectGrant', () => {
  it('sends granted columns only, personal ones masked, secret ones never', () => {
    const { p, text } = compiled({
      distributionId: DIST,
      fields: ['姓名', '区县', '密钥'],
      clearFields: [],
      rowFilter: {},
    });
    expect(p.columns).toEqual([
      { id: '姓名', access: 'masked' },
      { id: '区县', access: 'clear' },
    ]);
    expect(text).not.toContain('"密钥"');
    expect(text).not.toContain('"备注"');
    expect(text).toContain(`from "datastore"."${DIST}"`);
    expect(text).toMatch(/ where true$/);
  });

  it('reads a personal column in clear only where the grant says so', () => {
    const { p } = compiled({ distributionId: DIST, fields: ['姓名'], clearFields: ['姓名'], rowFilter: {} });
    expect(p.columns).toEqual([{ id: '姓名', access: 'clear' }]);
    expect(grantedAccess(col('x', 'secret'), ['x'])).toBeNull();
  });

  it('selects subject columns in clear under an alias for the log, granted or not', () => {
    const { p, text } = compiled({ distributionId: DIST, fields: ['区县'], clearFields: [], rowFilter: {} });
    expect(p.subjects).toEqual([{ id: '身份证号', kind: 'resident_id', alias: '__subject_0' }]);
    expect(text).toContain('"身份证号"::text as "__subject_0"');
  });

  it('filters rows by the grant, values as parameters', () => {
    const { text, parameters } = compiled({
      distributionId: DIST,
      fields: ['区县'],
      clearFields: [],
      rowFilter: { 区县: "东港区'; drop table x" },
    });
    expect(text).toMatch(/ where "区县"::text = \$1$/);
    expect(parameters).toEqual(["东港区'; drop table x"]);
  });

  it('narrows to nothing when the filter names a column the table no longer has', () => {
    const { text } = compiled({
      distributionId: DIST,
      fields: ['区县'],
      clearFields: [],
      rowFilter: { 区县: '东港区', 街道: '滨海街道' },
    });
    expect(text).toMatch(/ where false$/);
  });
});
