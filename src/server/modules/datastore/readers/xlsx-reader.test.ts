import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError } from './errors.ts';
import { openRows } from './index.ts';
import { collect, scratch, workbookSkeleton, zip } from './test-support.ts';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(() => dir.cleanup());

async function workbookFile(name: string, build: (wb: ExcelJS.Workbook) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  const path = await dir.file(name, Buffer.alloc(0));
  await wb.xlsx.writeFile(path);
  return path;
}

async function errorOf(promise: Promise<unknown>): Promise<LoadError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof LoadError) return err;
    throw err;
  }
  throw new Error('expected a LoadError');
}

describe('openRows on XLSX', () => {
  it('reads dates, numbers, booleans and formulas as text, skipping a merged title row', async () => {
    const file = await workbookFile('types.xlsx', (wb) => {
      const empty = wb.addWorksheet('说明');
      empty.getCell('A1').value = null;
      const ws = wb.addWorksheet('企业');
      ws.mergeCells('A1:F1');
      ws.getCell('A1').value = '岚山市2023年企业名录';
      ws.addRow(['名称', '成立日期', '更新时间', '注册资本', '在营', '合计']);
      ws.addRow([
        '岚山钢铁',
        new Date(Date.UTC(2023, 4, 21)),
        new Date(Date.UTC(2023, 4, 21, 10, 30)),
        0.1 + 0.2,
        true,
        { formula: 'D3*2', result: 0.6000000000000001 },
      ]);
      ws.addRow([
        '青川茶业',
        new Date(Date.UTC(1999, 11, 31)),
        null,
        1e-7,
        false,
        { formula: 'D4*2', result: 2e-7 },
      ]);
      ws.getCell('C3').numFmt = 'yyyy-mm-dd hh:mm:ss';
      ws.addRow([
        '东港港务',
        null,
        null,
        12345678901234,
        null,
        { formula: '1/0', result: { error: '#DIV/0!' } },
      ]);
    });
    const reader = await openRows(file, { format: 'xlsx' });
    expect(reader.sheets).toEqual(['说明', '企业']);
    expect(reader.sheet).toBe('企业');
    expect(reader.titleRows).toEqual(['岚山市2023年企业名录']);
    expect(reader.labels).toEqual(['名称', '成立日期', '更新时间', '注册资本', '在营', '合计']);
    expect(await collect(reader)).toEqual([
      ['岚山钢铁', '2023-05-21', '2023-05-21T10:30:00', '0.3', 'true', '0.6'],
      ['青川茶业', '1999-12-31', null, '0.0000001', 'false', '0.0000002'],
      ['东港港务', null, null, '12345678901234', null, null],
    ]);
    expect(reader.issues.map((i) => [i.kind, i.row, i.column])).toEqual([
      ['title_row', -1, undefined],
      ['cell_error', 3, '合计'],
    ]);
  });

  it('shows numbers under a zero-padding format as Excel does, and keeps fixed decimals exact', async () => {
    const file = await workbookFile('padded.xlsx', (wb) => {
      const ws = wb.addWorksheet('区划');
      ws.addRow(['邮编', '工号', '金额', '区号']);
      ws.addRow([12345, 7, 1234.5678, 10]);
      ws.addRow([100000, 1234, 0.1, 5710]);
      ws.addRow([1001, 56789, -2.5, 21]);
      for (const row of [2, 3, 4]) {
        ws.getCell(`A${row}`).numFmt = '000000';
        ws.getCell(`B${row}`).numFmt = '"No."0000';
        ws.getCell(`C${row}`).numFmt = '0.00';
        ws.getCell(`D${row}`).numFmt = '0000';
      }
    });
    const reader = await openRows(file, { format: 'xlsx' });
    expect(await collect(reader)).toEqual([
      ['012345', 'No.0007', '1234.5678', '0010'],
      ['100000', 'No.1234', '0.1', '5710'],
      ['001001', 'No.56789', '-2.5', '0021'],
    ]);
  });

  it('reads any sheet by name and lists them all', async () => {
    const file = await workbookFile('two.xlsx', (wb) => {
      wb.addWorksheet('一').addRows([
        ['a', 'b'],
        [1, 2],
      ]);
      wb.addWorksheet('二').addRows([['x', 'y', 'z'], ['p', 'q', 'r'], [], ['s', 't', 'u']]);
    });
    const first = await openRows(file, { format: 'xlsx' });
    expect([first.sheet, first.labels, await collect(first)]).toEqual(['一', ['a', 'b'], [['1', '2']]]);
    const second = await openRows(file, { format: 'xlsx', sheet: '二' });
    expect(await collect(second)).toEqual([
      ['p', 'q', 'r'],
      ['s', 't', 'u'],
    ]);
    expect(second.issues).toMatchObject([{ kind: 'blank_row', row: 2 }]);
    const missing = await errorOf(openRows(file, { format: 'xlsx', sheet: '三' }));
    expect(missing.code).toBe('datastore.sheet_not_found');
    expect(missing.details).toMatchObject({ sheets: ['一', '二'] });
  });

  it('rejects a header wider than PostgreSQL allows', async () => {
    const file = await workbookFile('wide.xlsx', (wb) => {
      const ws = wb.addWorksheet('wide');
      ws.addRow(Array.from({ length: 2000 }, (_, i) => `c${i}`));
      ws.addRow(Array.from({ length: 2000 }, (_, i) => i));
    });
    const error = await errorOf(openRows(file, { format: 'xlsx' }));
    expect([error.code, error.details]).toEqual([
      'datastore.too_many_columns',
      { columns: 2000, maxColumns: 1600 },
    ]);
  });

  it('rejects a workbook whose sheets are all empty', async () => {
    const file = await workbookFile('empty.xlsx', (wb) => {
      wb.addWorksheet('Sheet1');
    });
    expect((await errorOf(openRows(file, { format: 'xlsx' }))).code).toBe('datastore.no_rows');
  });

  it('refuses a zip bomb before inflating it', async () => {
    const sheet = `<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>a</t></is></c></row>${' '.repeat(
      50 * 1024 * 1024,
    )}</sheetData></worksheet>`;
    const file = await dir.file(
      'bomb.xlsx',
      zip([...workbookSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: sheet }]),
    );
    const started = Date.now();
    const error = await errorOf(openRows(file, { format: 'xlsx' }));
    expect(error.code).toBe('datastore.zip_bomb');
    expect(error.details).toMatchObject({ entry: 'xl/worksheets/sheet1.xml' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('stops an entry that inflates past the size it declares, and a total past the limit', async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `<row r="${i + 1}"><c><v>${i}</v></c><c><v>1</v></c></row>`,
    );
    const sheet = `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>`;
    const liar = zip([
      ...workbookSkeleton(),
      { name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: 1000 },
    ]);
    const file = await dir.file('liar.xlsx', liar);
    const reading = (async () => collect(await openRows(file, { format: 'xlsx' })))();
    expect((await errorOf(reading)).code).toBe('datastore.zip_bomb');
    const honest = await dir.file(
      'honest.xlsx',
      zip([...workbookSkeleton(), { name: 'xl/worksheets/sheet1.xml', data: sheet }]),
    );
    const limited = await errorOf(openRows(honest, { format: 'xlsx', limits: { maxInflatedBytes: 10_000 } }));
    expect(limited.code).toBe('datastore.zip_bomb');
  });

  it('rejects a zip that is not a workbook', async () => {
    const file = await dir.file('other.xlsx', zip([{ name: 'readme.txt', data: 'hello' }]));
    expect((await errorOf(openRows(file, { format: 'xlsx' }))).code).toBe('datastore.bad_xlsx');
    const truncated = await dir.file(
      'cut.xlsx',
      zip([{ name: 'readme.txt', data: 'hello' }]).subarray(0, 30),
    );
    expect((await errorOf(openRows(truncated, { format: 'xlsx' }))).code).toBe('datastore.bad_xlsx');
  });
});
