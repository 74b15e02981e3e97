import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { corpusTable, kinds } from './load-corpus.test-helpers.ts';

// Hand-made workbooks and JSON files through the real path (see load-corpus.test.ts): what the report
// tells the steward, and on which row of the file.

const corpus = corpusTable();
const { upload, rows } = corpus;

async function loaded(filename: string, content: Buffer | string) {
  const load = await upload(filename, content);
  expect(load.error, JSON.stringify(load.error)).toBeNull();
  expect(load.status).toBe('succeeded');
  return load.report!;
}

const located = (report: Awaited<ReturnType<typeof loaded>>) =>
  report.issues.filter((i) => i.row !== undefined).map((i) => [i.kind, i.row]);

describe('messy files: every issue and example names its row in the file', () => {
  it('JSON: a record is named by its place in the array, skipped elements counted', async () => {
    const report = await loaded('places.json', '[{"n": 1}, 5, {"n": 2}, {"n": "约3"}]');
    expect(report.headerRow).toBeUndefined();
    expect(located(report)).toEqual([['not_an_object', 2]]);
    expect(report.issues[0]?.params).toEqual({ variant: 'element', index: 2 });
    expect(report.columns.find((c) => c.label === 'n')?.examples).toEqual([{ row: 4, value: '约3' }]);
  });

  it('NDJSON: a record is named by its line, blank and invalid lines counted', async () => {
    const report = await loaded('lines.ndjson', '{"n": 1}\n\nnot json\n{"n": 2}\n{"n": "约3"}\n');
    expect(located(report)).toEqual([['invalid_json_line', 3]]);
    expect(report.columns.find((c) => c.label === 'n')?.examples).toEqual([{ row: 5, value: '约3' }]);
  });

  it('CSV: a title row above the header is named by its line, on either path', async () => {
    const report = await loaded('titled.csv', '岚山市人口统计\n区,人口\n东港区,1\n西岭区,2\n');
    expect(report.path).toBe(corpus.pg ? 'typed' : 'parsed');
    expect(report.issues.map((i) => [i.kind, i.row, i.params])).toEqual([
      ['title_row', 1, { variant: 'line', line: 1 }],
    ]);
    expect(report.issueCount).toBe(1);
  });

  it('XLSX: titles, a two-row header, a lost ID number, an uncomputed formula and a totals row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名录');
    ws.mergeCells('A1:D1');
    ws.getCell('A1').value = '岚山市2023年企业名录';
    ws.mergeCells('A2:A3');
    ws.getCell('A2').value = '企业名称';
    ws.mergeCells('B2:B3');
    ws.getCell('B2').value = '登记编号';
    ws.mergeCells('C2:D2');
    ws.getCell('C2').value = '从业人员';
    ws.getRow(3).values = [null, null, '男', '女'];
    ws.getRow(4).values = ['岚山钢铁', '110101199001011234', 10, 12];
    ws.getRow(5).values = [
      '青川茶业',
      Number('330106198001011234'), // typed into a number cell: Excel keeps 15 digits
      3,
      { formula: 'C5*2' } as ExcelJS.CellFormulaValue,
    ];
    ws.getRow(6).values = ['合计', null, { formula: 'SUM(C4:C5)', result: 13 }, 12];
    const report = await loaded('名录.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(report).toMatchObject({
      format: 'xlsx',
      headerRow: 3,
      rows: 2,
      titleRows: ['岚山市2023年企业名录'],
    });
    expect(kinds(report)).toEqual([
      'title_row',
      'header_rows',
      'precision_lost',
      'formula_not_cached',
      'total_row',
    ]);
    expect(located(report)).toEqual([
      ['title_row', 1],
      ['precision_lost', 5],
      ['formula_not_cached', 5],
      ['total_row', 6],
    ]);
    expect(report.issues.find((i) => i.kind === 'precision_lost')).toMatchObject({
      column: '登记编号',
      params: { sheetRow: 5, value: '330106198001011000' },
    });
    expect(await rows()).toEqual([
      { 企业名称: '岚山钢铁', 登记编号: '110101199001011234', 从业人员_男: 10, 从业人员_女: 12 },
      { 企业名称: '青川茶业', 登记编号: '330106198001011000', 从业人员_男: 3, 从业人员_女: null },
    ]);
  });

  it('refuses a CSV named .xlsx, saying what it is', async () => {
    const load = await upload('名录.xlsx', '区,人口\n东港区,1\n');
    expect(load.status).toBe('failed');
    expect(load.error).toMatchObject({ code: 'datastore.bad_xlsx', details: { content: 'csv' } });
    expect(load.error?.message).toContain('rename it to .csv');
  });
});
