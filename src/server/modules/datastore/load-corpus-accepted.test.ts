import ExcelJS from 'exceljs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { corpusTable, kinds } from './load-corpus.test-helpers.ts';
import { gb18030 } from './readers/test-support.ts';

// The bad-input corpus through the real path (see load-corpus.test.ts), the files that load: each
// reports what was found and repaired, and its values arrive intact. On PostgreSQL clean delimited
// files are read by the typed load (UTF-8) or COPY's own CSV reader (other encodings).

const corpus = corpusTable();
const { upload, info, search, rows, stagingTables } = corpus;

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
  const utf8Csv = (path: 'copy' | 'typed' | 'parsed') => ({
    format: 'csv',
    encoding: 'utf-8',
    delimiter: ',',
    path,
  });

  it('ragged rows: short rows padded, long rows folded into the last column, each reported', async () => {
    const report = await loaded('ragged.csv', 'a,b,c\n1\n1,2,3,4\n5,6,7\n');
    expect(report).toMatchObject({
      ...utf8Csv('parsed'),
      rowsRead: 3,
      rows: 3,
      issueCount: corpus.pg ? 3 : 2,
    });
    expect(kinds(report)).toEqual([...(corpus.pg ? ['parsed_by_civitas'] : []), 'ragged_row', 'ragged_row']);
    // Rows as the file numbers them: the header is row 1.
    expect(report.issues.filter((i) => i.kind === 'ragged_row').map((i) => i.row)).toEqual([2, 3]);
    expect(await rows()).toEqual([
      { a: 1, b: null, c: null },
      { a: 1, b: 2, c: '3,4' },
      { a: 5, b: 6, c: '7' },
    ]);
  });

  it('unbalanced quotes: the stray quote is a literal character and only its row is affected', async () => {
    const report = await loaded('quotes.csv', 'a,b\n"x,1\n2,3\n"y""z",4\n');
    expect(report).toMatchObject({ ...utf8Csv('parsed'), rows: 3 });
    expect(kinds(report)).toEqual([...(corpus.pg ? ['parsed_by_civitas'] : []), 'unbalanced_quote']);
    expect(await rows()).toEqual([
      { a: '"x', b: 1 },
      { a: '2', b: 3 },
      { a: 'y"z', b: 4 },
    ]);
  });

  it('names every row as the file numbers it: issues and disagreeing values alike, title and blank rows counted', async () => {
    // Line 1 a title, 2 blank, 3 the header, 4 data, 5 blank, 6 and 7 data (7 disagrees), 8 short.
    const csv = '岚山市人口统计\n\n区,人口\n东港区,1\n\n西岭区,2\n岚山区,约3\n青河区\n';
    const report = await loaded('rows.csv', csv);
    expect(report).toMatchObject({ headerRow: 3, rows: 4 });
    expect(report.issues.filter((i) => i.row !== undefined).map((i) => [i.kind, i.row])).toEqual([
      ['title_row', 1],
      ['blank_row', 5],
      ['ragged_row', 8],
    ]);
    expect(report.columns.find((c) => c.label === '人口')?.examples).toEqual([{ row: 7, value: '约3' }]);
  });

  it('counts from the top of the file on the COPY fast path too (a title row, no repairs)', async () => {
    const report = await loaded('titled.csv', '岚山市人口统计\n区,人口\n东港区,1\n岚山区,约3\n西岭区,2\n');
    expect(report).toMatchObject({ headerRow: 2, ...utf8Csv(corpus.pg ? 'typed' : 'parsed') });
    expect(report.columns.find((c) => c.label === '人口')?.examples).toEqual([{ row: 4, value: '约3' }]);
  });

  it('names XLSX rows by their sheet row, past title and blank rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人口');
    ws.getRow(1).values = ['岚山市人口统计'];
    ws.getRow(3).values = ['区', '人口'];
    ws.getRow(4).values = ['东港区', 1];
    ws.getRow(6).values = ['西岭区', 2];
    ws.getRow(7).values = ['岚山区', '约3'];
    const report = await loaded('rows.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(report).toMatchObject({ headerRow: 3, rows: 3 });
    expect(report.issues.filter((i) => i.kind === 'blank_row').map((i) => i.row)).toEqual([5]);
    expect(report.columns.find((c) => c.label === '人口')?.examples).toEqual([{ row: 7, value: '约3' }]);
  });

  it('a 10 MB field loads whole', async () => {
    const big = '岚'.repeat((10 * 1024 * 1024) / 3);
    const report = await loaded('big.csv', `a,b\n"${big}",1\nsmall,2\n`);
    expect(report).toMatchObject({ ...utf8Csv(corpus.pg ? 'typed' : 'parsed'), rows: 2, issues: [] });
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
    expect(kinds(report)).toEqual([...(corpus.pg ? ['parsed_by_civitas'] : []), 'encoding_repaired']);
    const repaired = report.issues.find((i) => i.kind === 'encoding_repaired');
    expect(repaired).toMatchObject({ row: 3, sample: '岚山区,2', params: { line: 3, variant: 'file_line' } });
    expect(repaired?.message).toMatch(/^Line 3 of the file /);
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
      // UTF-16 is converted to UTF-8 on its way into COPY; UTF-8 is read by the typed load.
      path: corpus.pg ? (encoding === 'utf-8' ? 'typed' : 'copy') : 'parsed',
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
    // Old Mac line ends (CR alone) are COPY's to read: the typed load takes LF and CRLF.
    const fast = nl === '\r' ? 'copy' : 'typed';
    expect(report).toMatchObject({ ...utf8Csv(corpus.pg ? fast : 'parsed'), rows: 2, issues: [] });
    expect(await rows()).toEqual([
      { 名称: '岚山', 数量: 1 },
      { 名称: '青\n河', 数量: 2 },
    ]);
  });

  it('trailing delimiters: the empty unlabelled column is dropped and reported', async () => {
    const report = await loaded('trailing.csv', '区,人口,\n东港区,1,\n西岭区,2,\n');
    expect(report).toMatchObject({
      ...utf8Csv(corpus.pg ? 'typed' : 'parsed'),
      rows: 2,
      droppedColumns: ['#3'],
    });
    expect(kinds(report)).toEqual(corpus.pg ? [] : ['empty_header']);
    expect(report.columns.map((c) => c.id)).toEqual(['区', '人口']);
    const result = await search();
    expect(result.fields.map((f) => f.id)).toEqual(['_id', '区', '人口']);
    expect(result.records.map(({ _id, ...r }) => r)).toEqual([
      { 区: '东港区', 人口: 1 },
      { 区: '西岭区', 人口: 2 },
    ]);
  });

  it('GB18030 with Chinese headers: labels and values arrive intact (COPY converts them)', async () => {
    const text =
      '行政区划名称,统计年份,常住人口（万人）,备注\n岚山区,2023,45.6,沿海\n青河县,2023,12.3,山区“丘陵”\n';
    const report = await loaded('gb.csv', gb18030(text));
    // On PostgreSQL the raw bytes go to COPY … ENCODING 'GB18030'; PGlite gets them decoded in Node.
    expect(report).toMatchObject({
      format: 'csv',
      encoding: 'gb18030',
      path: corpus.pg ? 'copy' : 'parsed',
      rows: 2,
    });
    expect(report.issues).toEqual([]);
    const result = await search();
    expect(result.fields.map((f) => [f.id, f.info?.label, f.type])).toEqual([
      ['_id', undefined, 'int'],
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
