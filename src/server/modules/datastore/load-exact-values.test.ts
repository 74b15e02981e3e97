import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { corpusTable } from './load-corpus.test-helpers.ts';
import { DECIMAL_LABELS, DECIMAL_ROWS, decimalParquet } from './readers/parquet-decimal.test-support.ts';

// Values whose identity a file format hides, through the real load path (upload, job, inference,
// table, datastore_search): Excel's zero-padding formats and Parquet decimals beyond a double.

const corpus = corpusTable();
const { upload, rows } = corpus;

async function loaded(filename: string, content: Buffer) {
  const load = await upload(filename, content);
  expect(load.error, JSON.stringify(load.error)).toBeNull();
  expect(load.status).toBe('succeeded');
  const report = load.report!;
  return { report, types: Object.fromEntries(report.columns.map((c) => [c.label, c.type])) };
}

describe('exact values through a full load', () => {
  it('an XLSX column formatted 000000 loads as text with its zeros; a 0.00 column as exact numbers', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('区划');
    ws.addRow(['邮编', '工号', '金额']);
    ws.addRow([12345, 7, 1234.5678]);
    ws.addRow([100000, 1234, 0.1]);
    ws.addRow([1001, 56789, -2.5]);
    for (const row of [2, 3, 4]) {
      ws.getCell(`A${row}`).numFmt = '000000';
      ws.getCell(`B${row}`).numFmt = '"No."0000';
      ws.getCell(`C${row}`).numFmt = '0.00';
    }
    const { report, types } = await loaded('区划.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(report).toMatchObject({ format: 'xlsx', rows: 3, issues: [] });
    expect(types).toEqual({ 邮编: 'text', 工号: 'text', 金额: 'numeric' });
    expect(await rows()).toEqual([
      { 邮编: '012345', 工号: 'No.0007', 金额: '1234.5678' },
      { 邮编: '100000', 工号: 'No.1234', 金额: '0.1' },
      { 邮编: '001001', 工号: 'No.56789', 金额: '-2.5' },
    ]);
  });

  it('Parquet DECIMAL columns of every physical type load as exact numeric values', async () => {
    const { report, types } = await loaded('decimals.parquet', decimalParquet());
    expect(report).toMatchObject({ format: 'parquet', rows: DECIMAL_ROWS.length, issues: [] });
    expect(types).toEqual(
      Object.fromEntries(DECIMAL_LABELS.map((label, i) => [label, i === 0 ? 'text' : 'numeric'])),
    );
    const ids = report.columns.map((c) => c.id);
    expect(await rows()).toEqual(
      DECIMAL_ROWS.map((row) => Object.fromEntries(row.map((value, i) => [ids[i], value]))),
    );
  });
});
