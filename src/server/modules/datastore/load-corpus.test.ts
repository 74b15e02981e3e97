import { parquetWriteBuffer } from 'hyparquet-writer';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { DatastoreInfo, LoadDto, LoadReport } from '../../../contracts/datastore.ts';
import {
  type CatalogDept,
  catalogDepartment,
  multipart,
  openDatasetInput,
  publishedDataset,
} from '../catalog/catalog.test-helpers.ts';
import { drainLoads } from './datastore.test-helpers.ts';
import { gb18030, zip } from './readers/test-support.ts';

// The bad-input corpus through the real path: upload to POST /api/datastore/:id/loads, run the queued
// job, read the outcome from the API. A refused file fails with a stable datastore.* code and leaves
// the current version (version 1) answering; an accepted one reports what it found and repaired, and
// its values arrive intact. On PostgreSQL clean delimited files take the COPY fast path.

let t: TestApp;
let a: CatalogDept;
let anonymous: TestClient;
let pg: boolean;
/** The distribution every file is uploaded to. */
let id: string;

const GOOD = '区,人口\n东港区,1\n西岭区,2\n';

beforeAll(async () => {
  t = await createTestApp();
  pg = t.ctx.engine === 'postgres';
  a = await catalogDepartment(t.ctx, t.app);
  anonymous = new TestClient(t.app);
  const ds = await publishedDataset(t.ctx, openDatasetInput(a.id), {
    filename: 'good.csv',
    content: Buffer.from(GOOD),
  });
  expect(await drainLoads(t.ctx)).toBe(1);
  id = ds.distributions[0]!.id;
});
afterAll(async () => t?.close());

/** Uploads a file as the steward, runs the load, and returns the load as the API shows it. */
async function upload(filename: string, content: Buffer | string, fields: Record<string, string> = {}) {
  const body = multipart(fields, { filename, content: Buffer.from(content) });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/datastore/${id}/loads`,
    payload: body.payload,
    headers: { ...body.headers, authorization: `Bearer ${a.steward.bearer}` },
  });
  expect(res.statusCode, res.body).toBe(202);
  expect(await drainLoads(t.ctx)).toBe(1);
  const load = await a.steward.get(`/api/datastore/loads/${res.json().id}`);
  expect(load.statusCode).toBe(200);
  return load.json() as LoadDto;
}

const info = async () => (await a.steward.get(`/api/datastore/${id}`)).json() as DatastoreInfo;
const search = async (params: Record<string, string> = {}, client: TestClient = anonymous) => {
  const res = await client.get(
    `/api/3/action/datastore_search?${new URLSearchParams({ resource_id: id, sort: '_id', ...params })}`,
  );
  expect(res.statusCode, res.body).toBe(200);
  return res.json().result as {
    fields: { id: string; type: string; info?: { label: string } }[];
    records: Record<string, unknown>[];
    total: number;
  };
};
/** The records without `_id`. */
const rows = async (params: Record<string, string> = {}) =>
  (await search(params)).records.map(({ _id, ...rest }) => rest);
const versionTables = async () =>
  (
    await sql<{ n: number }>`select count(*)::int as n from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'datastore' and c.relname like ${`${id}@%`}`.execute(t.ctx.db)
  ).rows[0]?.n;
const stagingTables = async () =>
  (
    await sql<{ n: number }>`select count(*)::int as n from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'datastore_staging' and c.relkind = 'r'`.execute(t.ctx.db)
  ).rows[0]?.n;
const kinds = (report: LoadReport) => report.issues.map((i) => i.kind);

describe('refused files: a clear error, and version 1 keeps answering', () => {
  const refused: [string, string, () => Buffer | string, Record<string, unknown>?][] = [
    ['an empty file', 'empty.csv', () => '', { fileName: 'empty.csv' }],
    ['a header without rows', 'header.csv', () => '区,人口\r\n', { columns: 2 }],
    [
      'binary junk',
      'junk.csv',
      () => Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 2654435761) % 251)),
    ],
    ['an XLSX zip bomb', 'bomb.xlsx', xlsxBomb, { entry: 'xl/worksheets/sheet1.xml' }],
    [
      '20,000 columns',
      'wide.csv',
      () => {
        const header = Array.from({ length: 20_000 }, (_, i) => `col${i}`).join(',');
        return `${header}\n${header}\n`;
      },
      { columns: 20_000, maxColumns: 1600 },
    ],
    ['a UTF-32 (LE) BOM', 'utf32.csv', () => Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0, 0x0a, 0, 0, 0])],
    ['a UTF-32 (BE) BOM', 'utf32be.csv', () => Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61, 0, 0, 0, 0x0a])],
    ['an .xls workbook', 'old.xls', () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ['a .parquet that is not Parquet', 'fake.parquet', () => 'a,b\n1,2\n'],
    ['broken JSON', 'broken.json', () => '[{"a": 1}, {"a": '],
  ];
  const CODES: Record<string, string> = {
    'an empty file': 'datastore.empty_file',
    'a header without rows': 'datastore.no_rows',
    'binary junk': 'datastore.binary_file',
    'an XLSX zip bomb': 'datastore.zip_bomb',
    '20,000 columns': 'datastore.too_many_columns',
    'a UTF-32 (LE) BOM': 'datastore.unsupported_encoding',
    'a UTF-32 (BE) BOM': 'datastore.unsupported_encoding',
    'an .xls workbook': 'datastore.unsupported_format',
    'a .parquet that is not Parquet': 'datastore.bad_parquet',
    'broken JSON': 'datastore.bad_json',
  };

  it.each(refused)('%s', async (what, filename, content, details) => {
    const tablesBefore = await versionTables();
    const started = Date.now();
    const load = await upload(filename, content());
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(load).toMatchObject({ status: 'failed', version: null, report: null });
    expect(load.error?.code, load.error?.message).toBe(CODES[what]);
    expect(load.error?.message).toBeTruthy();
    if (details) expect(load.error?.details).toMatchObject(details);
    // Version 1 is still current and whole, for the steward and for the public alike.
    const now = await info();
    expect(now).toMatchObject({ currentVersion: 1, rows: 2 });
    expect(now.lastLoad).toMatchObject({ id: load.id, status: 'failed' });
    expect(now.columns.map((c) => c.id)).toEqual(['区', '人口']);
    expect(await rows()).toEqual([
      { 区: '东港区', 人口: 1 },
      { 区: '西岭区', 人口: 2 },
    ]);
    expect((await search({ filters: JSON.stringify({ 区: '西岭区' }) })).total).toBe(1);
    expect(await versionTables()).toBe(tablesBefore);
    expect(await stagingTables()).toBe(0);
  });
});

describe('accepted files: loaded, with what was found and repaired in the report', () => {
  /** Uploads and expects success; returns the report after checking the load became current. */
  async function loaded(filename: string, content: Buffer | string, fields: Record<string, string> = {}) {
    const before = (await info()).currentVersion ?? 0;
    const load = await upload(filename, content, fields);
    expect(load.error, JSON.stringify(load.error)).toBeNull();
    expect(load.status).toBe('succeeded');
    expect(load.version).toBe(before + 1);
    expect((await info()).currentVersion).toBe(before + 1);
    expect(await stagingTables()).toBe(0);
    return load.report!;
  }
  const utf8Csv = (path: 'copy' | 'parsed') => ({ format: 'csv', encoding: 'utf-8', delimiter: ',', path });

  it('ragged rows: short rows padded, long rows folded into the last column, each reported', async () => {
    const report = await loaded('ragged.csv', 'a,b,c\n1\n1,2,3,4\n5,6,7\n');
    expect(report).toMatchObject({ ...utf8Csv('parsed'), rowsRead: 3, rows: 3, issueCount: pg ? 3 : 2 });
    expect(kinds(report)).toEqual([...(pg ? ['parsed_by_civitas'] : []), 'ragged_row', 'ragged_row']);
    expect(report.issues.filter((i) => i.kind === 'ragged_row').map((i) => i.row)).toEqual([1, 2]);
    expect(await rows()).toEqual([
      { a: 1, b: null, c: null },
      { a: 1, b: 2, c: '3,4' },
      { a: 5, b: 6, c: '7' },
    ]);
  });

  it('unbalanced quotes: the stray quote is a literal character and only its row is affected', async () => {
    const report = await loaded('quotes.csv', 'a,b\n"x,1\n2,3\n"y""z",4\n');
    expect(report).toMatchObject({ ...utf8Csv('parsed'), rows: 3 });
    expect(kinds(report)).toEqual([...(pg ? ['parsed_by_civitas'] : []), 'unbalanced_quote']);
    expect(await rows()).toEqual([
      { a: '"x', b: 1 },
      { a: '2', b: 3 },
      { a: 'y"z', b: 4 },
    ]);
  });

  it('a 10 MB field loads whole', async () => {
    const big = '岚'.repeat((10 * 1024 * 1024) / 3);
    const report = await loaded('big.csv', `a,b\n"${big}",1\nsmall,2\n`);
    expect(report).toMatchObject({ ...utf8Csv(pg ? 'copy' : 'parsed'), rows: 2, issues: [] });
    const result = await search();
    expect(result.records.map((r) => r.b)).toEqual([1, 2]);
    expect(result.records[0]!.a).toBe(big);
    expect(result.records[1]!.a).toBe('small');
  });

  it('mixed encodings: a UTF-8 file with one GBK line is repaired line by line', async () => {
    const data = Buffer.concat([
      Buffer.from('区,人口\n东港区,1\n'),
      gb18030('岚山区,2\n'),
      Buffer.from('西岭区,3\n'),
    ]);
    const report = await loaded('mixed.csv', data);
    expect(report).toMatchObject({ ...utf8Csv('parsed'), rows: 3 });
    expect(kinds(report)).toEqual([...(pg ? ['parsed_by_civitas'] : []), 'encoding_repaired']);
    const repaired = report.issues.find((i) => i.kind === 'encoding_repaired');
    expect(repaired).toMatchObject({ row: 2, sample: '岚山区,2' });
    expect(repaired?.message).toMatch(/^Line 2 /);
    expect(await rows()).toEqual([
      { 区: '东港区', 人口: 1 },
      { 区: '岚山区', 人口: 2 },
      { 区: '西岭区', 人口: 3 },
    ]);
  });

  it.each([
    ['UTF-8', 'utf-8', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    [
      'UTF-16LE',
      'utf-16le',
      (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ],
    [
      'UTF-16BE',
      'utf-16be',
      (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]).swap16(),
    ],
  ])('a %s BOM', async (_what, encoding, encode) => {
    const report = await loaded('bom.csv', encode('名称,数量\n岚山,1\n青河,2\n'));
    expect(report).toMatchObject({
      format: 'csv',
      encoding,
      path: pg ? 'copy' : 'parsed',
      rows: 2,
      issues: [],
    });
    // The BOM does not stick to the first label.
    expect(report.columns.map((c) => c.label)).toEqual(['名称', '数量']);
    expect(await rows()).toEqual([
      { 名称: '岚山', 数量: 1 },
      { 名称: '青河', 数量: 2 },
    ]);
  });

  it.each([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('%s line endings', async (_what, nl) => {
    const report = await loaded('lines.csv', ['名称,数量', '岚山,1', '"青\n河",2', ''].join(nl));
    expect(report).toMatchObject({ ...utf8Csv(pg ? 'copy' : 'parsed'), rows: 2, issues: [] });
    expect(await rows()).toEqual([
      { 名称: '岚山', 数量: 1 },
      { 名称: '青\n河', 数量: 2 },
    ]);
  });

  it('trailing delimiters: the empty unlabelled column is dropped and reported', async () => {
    const report = await loaded('trailing.csv', '区,人口,\n东港区,1,\n西岭区,2,\n');
    expect(report).toMatchObject({ ...utf8Csv(pg ? 'copy' : 'parsed'), rows: 2, droppedColumns: ['#3'] });
    expect(kinds(report)).toEqual(pg ? [] : ['empty_header']);
    expect(report.columns.map((c) => c.id)).toEqual(['区', '人口']);
    const result = await search();
    expect(result.fields.map((f) => f.id)).toEqual(['_id', '区', '人口']);
    expect(result.records.map(({ _id, ...r }) => r)).toEqual([
      { 区: '东港区', 人口: 1 },
      { 区: '西岭区', 人口: 2 },
    ]);
  });

  it('GB18030 with Chinese headers: labels and values arrive intact', async () => {
    const text =
      '行政区划名称,统计年份,常住人口（万人）,备注\n岚山区,2023,45.6,沿海\n青河县,2023,12.3,山区“丘陵”\n';
    const report = await loaded('gb.csv', gb18030(text));
    // On PostgreSQL the raw bytes go to COPY … ENCODING 'GB18030'; PGlite gets them decoded in Node.
    expect(report).toMatchObject({
      format: 'csv',
      encoding: 'gb18030',
      path: pg ? 'copy' : 'parsed',
      rows: 2,
    });
    expect(report.issues).toEqual([]);
    const result = await search();
    expect(result.fields.map((f) => [f.id, f.info?.label, f.type])).toEqual([
      ['_id', undefined, 'int8'],
      ['行政区划名称', '行政区划名称', 'text'],
      ['统计年份', '统计年份', 'int4'],
      // Column ids are safe SQL names; the label keeps the header as it was.
      ['常住人口_万人', '常住人口（万人）', 'numeric'],
      ['备注', '备注', 'text'],
    ]);
    expect(result.records.map(({ _id, ...r }) => r)).toEqual([
      { 行政区划名称: '岚山区', 统计年份: 2023, 常住人口_万人: '45.6', 备注: '沿海' },
      { 行政区划名称: '青河县', 统计年份: 2023, 常住人口_万人: '12.3', 备注: '山区“丘陵”' },
    ]);
    expect((await search({ q: '丘陵' })).total).toBe(1);
  });

  it('a JSON array of objects', async () => {
    const json = JSON.stringify([
      { 名称: '岚山', 数量: 1, 标签: ['a', 'b'] },
      { 名称: '青河', 数量: 2.5, 备注: '仅此行' },
      42,
    ]);
    const report = await loaded('data.json', json);
    expect(report).toMatchObject({ format: 'json', path: 'parsed', rows: 2 });
    expect(kinds(report)).toEqual(['not_an_object']);
    expect(report.columns.map((c) => [c.id, c.type])).toEqual([
      ['名称', 'text'],
      ['数量', 'numeric'],
      ['标签', 'text'],
      ['备注', 'text'],
    ]);
    expect(await rows()).toEqual([
      { 名称: '岚山', 数量: '1', 标签: '["a","b"]', 备注: null },
      { 名称: '青河', 数量: '2.5', 标签: null, 备注: '仅此行' },
    ]);
  });

  it('NDJSON, with an invalid line skipped and reported', async () => {
    const report = await loaded(
      'data.ndjson',
      '{"名称":"岚山","数量":1}\n{"名称":"青河","数量":2}\nnot json\n',
    );
    expect(report).toMatchObject({ format: 'ndjson', path: 'parsed', rows: 2 });
    expect(kinds(report)).toEqual(['invalid_json_line']);
    expect(report.issues[0]?.row).toBe(3);
    expect(await rows()).toEqual([
      { 名称: '岚山', 数量: 1 },
      { 名称: '青河', 数量: 2 },
    ]);
  });

  it('GeoJSON points become longitude and latitude columns', async () => {
    const feature = (name: string, lon: number, lat: number) => ({
      type: 'Feature',
      properties: { 名称: name },
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
    const geojson = JSON.stringify({
      type: 'FeatureCollection',
      features: [feature('岚山港', 119.3, 35.1), feature('青河站', 118.25, 34.75)],
    });
    const report = await loaded('points.geojson', geojson);
    expect(report).toMatchObject({ format: 'geojson', path: 'parsed', rows: 2, issues: [] });
    expect(report.columns.map((c) => [c.id, c.type])).toEqual([
      ['名称', 'text'],
      ['geometry', 'text'],
      ['longitude', 'numeric'],
      ['latitude', 'numeric'],
    ]);
    const first = (await rows())[0]!;
    expect(first).toMatchObject({ 名称: '岚山港', longitude: '119.3', latitude: '35.1' });
    expect(JSON.parse(first.geometry as string)).toEqual({ type: 'Point', coordinates: [119.3, 35.1] });
  });

  it('a Parquet file', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: '名称', data: ['岚山', '青河', null], type: 'STRING' },
        { name: '人数', data: BigInt64Array.from([3000000000n, 1n, 2n]), type: 'INT64' },
        { name: '比例', data: [0.5, 1.25, 2], type: 'DOUBLE' },
      ],
    });
    const report = await loaded('data.parquet', Buffer.from(buffer));
    expect(report).toMatchObject({ format: 'parquet', path: 'parsed', rows: 3, issues: [] });
    expect(report.columns.map((c) => [c.id, c.type])).toEqual([
      ['名称', 'text'],
      ['人数', 'bigint'],
      ['比例', 'numeric'],
    ]);
    expect(await rows()).toEqual([
      { 名称: '岚山', 人数: 3000000000, 比例: '0.5' },
      { 名称: '青河', 人数: 1, 比例: '1.25' },
      { 名称: null, 人数: 2, 比例: '2' },
    ]);
  });
});

/** A workbook whose one sheet inflates 50 MB from a few dozen kilobytes. */
function xlsxBomb(): Buffer {
  const sheet = `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>${' '.repeat(
    50 * 1024 * 1024,
  )}</sheetData></worksheet>`;
  return zip([
    {
      name: '_rels/.rels',
      data: '<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    },
    {
      name: 'xl/workbook.xml',
      data: '<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheet },
  ]);
}
