import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../../test/support/test-app.ts';
import type { DatasetDto } from '../../../../contracts/catalog.ts';
import type { DatastoreQuality, QualityRule } from '../../../../contracts/datastore-quality.ts';
import { residentIdCheckChar, usccCheckChar } from '../../../../contracts/identifiers.ts';
import {
  type CatalogDept,
  catalogDepartment,
  openDatasetInput,
  publishedDataset,
} from '../../catalog/catalog.test-helpers.ts';
import { drainLoads } from '../datastore.test-helpers.ts';
import { maskValue } from '../types/index.ts';
import { refreshStaleQuality } from './quality-refresh.ts';

// A file with known defects — blanks, a duplicate code, a wrong ID check character, an age out of
// range, a malformed phone number, a category outside its list — loaded through the catalog, then
// checked figure by figure, as the steward and as the public (who see personal values masked).

let t: TestApp;
let a: CatalogDept;
let anonymous: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  a = await catalogDepartment(t.ctx, t.app);
  anonymous = new TestClient(t.app);
});
afterAll(async () => t?.close());

const id = (first17: string) => first17 + residentIdCheckChar(first17);
const GOOD_IDS = [
  '11010519491231002',
  '33010619900101123',
  '33010619851111456',
  '33010620000229789',
  '33010619770707001',
  '33010619600315002',
  '33010619991231003',
].map(id);
// Row 3: the right digits with the wrong check character.
const badId = `${GOOD_IDS[2]!.slice(0, 17)}${GOOD_IDS[2]!.endsWith('0') ? '1' : '0'}`;
const ids = [GOOD_IDS[0], GOOD_IDS[1], badId, GOOD_IDS[3], GOOD_IDS[4], GOOD_IDS[5], GOOD_IDS[6], ''];
const uscc = (body: string) => body + usccCheckChar(body);

const HEADER = '姓名,身份证号,联系电话,年龄,类别,证照编号,信用代码,人数,备注';
const ROWS = [
  ['张三', ids[0], '13800001111', '30', 'A', 'Z001', uscc('91339900MA0000000'), '12', '首次登记'],
  ['李四', ids[1], '0571-8888888', '41', 'B', 'Z002', uscc('91339900MA0000001'), '8', ''],
  ['王五', ids[2], '13900002222', '25', 'A', 'Z003', uscc('91339900MA0000002'), '约30', ''],
  ['赵六', ids[3], '13700003333', '150', 'C', 'Z003', uscc('91339900MA0000003'), '5', ''],
  ['钱七', ids[4], '1380000111', '33', 'A', 'Z005', uscc('91339900MA0000004'), '6', ''],
  ['孙八', ids[5], '', '28', 'X', 'Z006', uscc('91339900MA0000005'), '7', '复核'],
  ['周九', ids[6], '13600004444', '30', 'A', 'Z007', uscc('91339900MA0000006'), '9', ''],
  ['吴十', ids[7], '0571-87654321', '45', 'B', 'Z001', uscc('91339900MA0000007'), '10', ''],
];
const CSV = [HEADER, ...ROWS.map((r) => r.join(','))].join('\n');

const RULES: QualityRule[] = [
  { column: '身份证号', kind: 'resident_id' },
  { column: '身份证号', kind: 'not_null' },
  { column: '联系电话', kind: 'phone' },
  { column: '年龄', kind: 'range', min: 0, max: 120 },
  { column: '类别', kind: 'enum', values: ['A', 'B', 'C'] },
  { column: '证照编号', kind: 'unique' },
  { column: '证照编号', kind: 'pattern', regex: '^Z[0-9]{3}$' },
  { column: '信用代码', kind: 'uscc' },
  { column: '备注', kind: 'not_null' },
];

let ds: DatasetDto;
let dist: string;

async function quality(client: TestClient): Promise<DatastoreQuality> {
  const res = await client.get(`/api/datastore/${dist}/quality`);
  expect(res.statusCode).toBe(200);
  return res.json() as DatastoreQuality;
}

const column = (q: DatastoreQuality, id: string) => q.columns.find((c) => c.id === id);
const rule = (q: DatastoreQuality, kind: string, col: string) =>
  q.rules.find((r) => r.rule.kind === kind && r.rule.column === col)!;

describe('quality of a loaded table', () => {
  beforeAll(async () => {
    ds = await publishedDataset(t.ctx, openDatasetInput(a.id), {
      filename: '登记.csv',
      content: Buffer.from(CSV),
    });
    dist = ds.distributions[0]!.id;
    expect(await drainLoads(t.ctx)).toBe(1);
  });

  it('computes quality again once it is a day old (timeliness moves with the calendar)', async () => {
    const before = (await quality(a.steward)).computedAt as string;
    expect(await refreshStaleQuality(t.ctx)).toBe(0);
    await sql`update datastore_tables set quality = jsonb_set(quality, '{computedAt}', to_jsonb(${new Date(Date.now() - 25 * 3600_000).toISOString()}::text))
      where distribution_id = ${dist}`.execute(t.ctx.db);
    expect(await refreshStaleQuality(t.ctx)).toBe(1);
    const after = (await quality(a.steward)).computedAt as string;
    expect(Date.parse(after)).toBeGreaterThanOrEqual(Date.parse(before));
    expect(Date.now() - Date.parse(after)).toBeLessThan(60_000);
  });

  it('profiles every column right after the load', async () => {
    const q = await quality(a.steward);
    expect(q).toMatchObject({ version: 1, rows: 8, error: null, rules: [], canEdit: true });
    expect(column(q, '备注')).toMatchObject({ type: 'text', nonNull: 2, nulls: 6, completeness: 25 });
    expect(column(q, '年龄')).toMatchObject({
      type: 'integer',
      min: '25',
      max: '150',
      distinct: 7,
      mostCommon: [{ value: '30', count: 2 }],
      estimated: false,
      conformity: 100,
    });
    expect(column(q, '类别')).toMatchObject({
      minLength: 1,
      maxLength: 1,
      distinct: 4,
      mostCommon: [
        { value: 'A', count: 4 },
        { value: 'B', count: 2 },
      ],
      candidate: null,
      conformity: 100,
    });
    expect(column(q, '证照编号')).toMatchObject({
      distinct: 6,
      mostCommon: [
        { value: 'Z001', count: 2 },
        { value: 'Z003', count: 2 },
      ],
    });
    // One value in eight (约30) keeps 人数 text; the others are integers.
    expect(column(q, '人数')).toMatchObject({ type: 'text', candidate: 'integer', conformity: 87.5 });
    // Phone numbers look like numbers but are text on purpose: nothing to conform to.
    expect(column(q, '联系电话')).toMatchObject({ nonNull: 7, completeness: 87.5, conformity: 100 });
    expect(column(q, '身份证号')).toMatchObject({ nonNull: 7, minLength: 18, maxLength: 18, distinct: 7 });
    expect(q.score?.total).toBeGreaterThan(0);
    const dataset = (await anonymous.get(`/api/catalog/datasets/${ds.id}`)).json() as DatasetDto;
    expect(dataset.qualityScore).toBe(q.datasetScore);
    expect(q.datasetScore).toBe(q.score?.total);
    // Search results carry it too (public searches may be cached for a minute: ask as the steward).
    const search = (await a.steward.get('/api/catalog/search?pageSize=100')).json();
    expect(search.results.find((r: { id: string }) => r.id === ds.id)?.qualityScore).toBe(q.datasetScore);
  });

  it('checks the rules a steward sets, counting violations with examples', async () => {
    const res = await a.steward.request('PUT', `/api/datastore/${dist}/quality/rules`, { rules: RULES });
    expect(res.statusCode).toBe(200);
    const q = res.json() as DatastoreQuality;
    expect(q.rules).toHaveLength(RULES.length);
    expect(rule(q, 'resident_id', '身份证号')).toMatchObject({
      status: 'checked',
      checked: 7,
      violations: 1,
      conformity: 85.7,
      examples: [{ id: 3, value: badId }],
    });
    expect(rule(q, 'not_null', '身份证号')).toMatchObject({
      checked: 8,
      violations: 1,
      examples: [{ id: 8, value: null }],
    });
    expect(rule(q, 'phone', '联系电话')).toMatchObject({
      checked: 7,
      violations: 1,
      examples: [{ id: 5, value: '1380000111' }],
    });
    expect(rule(q, 'range', '年龄')).toMatchObject({
      checked: 8,
      violations: 1,
      examples: [{ id: 4, value: '150' }],
    });
    expect(rule(q, 'enum', '类别')).toMatchObject({ violations: 1, examples: [{ id: 6, value: 'X' }] });
    expect(rule(q, 'unique', '证照编号')).toMatchObject({
      violations: 2,
      examples: [
        { id: 4, value: 'Z003' },
        { id: 8, value: 'Z001' },
      ],
    });
    expect(rule(q, 'pattern', '证照编号')).toMatchObject({ violations: 0, conformity: 100, examples: [] });
    expect(rule(q, 'uscc', '信用代码')).toMatchObject({ checked: 8, violations: 0 });
    expect(rule(q, 'not_null', '备注')).toMatchObject({ violations: 6, conformity: 25 });

    const criteria = Object.fromEntries(q.score!.criteria.map((c) => [c.id, c]));
    // Nine rules: 6/7, 7/8, 6/7, 7/8, 7/8, 6/8, 1, 1, 2/8 kept.
    const kept = [6 / 7, 7 / 8, 6 / 7, 7 / 8, 7 / 8, 6 / 8, 1, 1, 2 / 8];
    expect(criteria.rule_conformity?.value).toBeCloseTo(kept.reduce((x, y) => x + y) / kept.length, 3);
    const completeness = q.columns.reduce((n, c) => n + c.completeness, 0) / q.columns.length / 100;
    expect(criteria.completeness?.value).toBeCloseTo(completeness, 3);
    expect(criteria.licence).toMatchObject({ value: 1, status: 'pass' });
    // No column has a description yet.
    expect(criteria.documentation).toMatchObject({ value: 0, status: 'fail' });
    expect(criteria.timeliness).toMatchObject({ value: 1 });

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'datastore.rules.updated')
      .where('target_id', '=', dist)
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ version: 1, before: 0 });
  });

  it('shows the public personal columns masked: no values, examples as their view shows them', async () => {
    const q = await quality(anonymous);
    expect(q.canEdit).toBe(false);
    expect(column(q, '身份证号')).toMatchObject({
      access: 'masked',
      minLength: null,
      mostCommon: [],
      nonNull: 7,
    });
    expect(column(q, '年龄')).toMatchObject({ access: 'clear', min: '25' });
    expect(rule(q, 'resident_id', '身份证号').examples).toEqual([
      { id: 3, value: maskValue(badId, 'id_number') },
    ]);
    expect(rule(q, 'phone', '联系电话').examples).toEqual([{ id: 5, value: '138***0111' }]);
    // The same rows read through the public's view show the same masked text.
    const rows = await anonymous.get(`/api/3/action/datastore_search?resource_id=${dist}&offset=2&limit=1`);
    expect(rows.json().result.records[0]).toMatchObject({ _id: 3, 身份证号: maskValue(badId, 'id_number') });
  });

  it('leaves hidden columns out for those who may not see them', async () => {
    const res = await a.steward.request('PUT', `/api/datastore/${dist}/dictionary`, {
      columns: [{ id: '信用代码', sensitivity: 'secret', description: '统一社会信用代码' }],
    });
    expect(res.statusCode).toBe(200);
    const q = await quality(anonymous);
    expect(column(q, '信用代码')).toBeUndefined();
    expect(q.rules.some((r) => r.rule.column === '信用代码')).toBe(false);
    expect(column(await quality(a.steward), '信用代码')).toBeDefined();
  });

  it('refuses rules that cannot work, with the field at fault', async () => {
    const bad = [
      { column: '证照编号', kind: 'pattern', regex: '([a-z' },
      { column: '证照编号', kind: 'pattern', regex: '^(a+)\\1$' },
      { column: '类别', kind: 'range', min: 0 },
      { column: 'nope', kind: 'not_null' },
      { column: '年龄', kind: 'range', min: 10, max: 1 },
    ];
    const res = await a.steward.request('PUT', `/api/datastore/${dist}/quality/rules`, { rules: bad });
    expect(res.statusCode).toBe(400);
    const fields = res.json().error.details.fields.map((f: { path: string }) => f.path);
    expect(fields).toEqual([
      '/rules/0/regex',
      '/rules/1/regex',
      '/rules/2/kind',
      '/rules/3/column',
      '/rules/4/max',
    ]);
    const schema = await a.steward.request('PUT', `/api/datastore/${dist}/quality/rules`, {
      rules: [{ column: '年龄', kind: 'range', min: '1; drop table x' }],
    });
    expect(schema.statusCode).toBe(400);
    expect(
      (await anonymous.request('PUT', `/api/datastore/${dist}/quality/rules`, { rules: [] })).statusCode,
    ).toBe(401);
    // The rules in force are still the good ones.
    expect((await quality(a.steward)).rules).toHaveLength(RULES.length);
  });

  it('keeps a pattern a parameter: quotes and backslashes are just characters', async () => {
    const rules: QualityRule[] = [{ column: '证照编号', kind: 'pattern', regex: "^Z'0\\d{2}$" }];
    const res = await a.steward.request('PUT', `/api/datastore/${dist}/quality/rules`, { rules });
    expect(res.statusCode).toBe(200);
    expect(rule(res.json(), 'pattern', '证照编号')).toMatchObject({ status: 'checked', violations: 8 });
  });
});

describe('metadata edits', () => {
  it('rescore the resource at once: a longer English description earns its criterion', async () => {
    const before = await quality(a.steward);
    const criterion = (q: DatastoreQuality) => q.score!.criteria.find((c) => c.id === 'description_en');
    const english =
      'Registrations of residents with their identity numbers, contact phones, ages and categories, kept by the department and updated whenever a registration changes.';
    const res = await a.steward.request('PATCH', `/api/catalog/datasets/${ds.id}`, {
      descriptionEn: english,
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await quality(a.steward);
    expect(criterion(after)!.value ?? 0).toBeGreaterThan(criterion(before)!.value ?? 0);
    expect(after.score!.total).toBeGreaterThan(before.score!.total);
    // The figures were kept, not recomputed: same computation, new score.
    expect(after.computedAt).toBe(before.computedAt);
    expect(after.datasetScore).toBe(after.score!.total);
  });
});

describe('dictionary edits', () => {
  const criterion = (q: DatastoreQuality, id: string) => q.score!.criteria.find((c) => c.id === id)!;

  it('column descriptions rescore the documentation criterion without profiling again', async () => {
    const before = await quality(a.steward);
    const described = HEADER.split(',').map((id) => ({ id, description: `${id}：登记时填写的${id}` }));
    const res = await a.steward.request('PUT', `/api/datastore/${dist}/dictionary`, { columns: described });
    expect(res.statusCode, res.body).toBe(200);
    const after = await quality(a.steward);
    expect(criterion(after, 'documentation')).toMatchObject({ value: 1, status: 'pass' });
    expect(after.score!.total).toBeGreaterThan(before.score!.total);
    expect(after.computedAt).toBe(before.computedAt);
  });

  it('a type change profiles the column again under its new type', async () => {
    expect(column(await quality(a.steward), '人数')).toMatchObject({ type: 'text', conformity: 87.5 });
    const res = await a.steward.request('PUT', `/api/datastore/${dist}/dictionary`, {
      columns: [{ id: '人数', type: 'integer' }],
      onCastFailure: 'null',
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await quality(a.steward);
    // 约30 became NULL: seven integers, one gap.
    expect(column(after, '人数')).toMatchObject({ type: 'integer', nonNull: 7, min: '5', max: '12' });
  });
});
