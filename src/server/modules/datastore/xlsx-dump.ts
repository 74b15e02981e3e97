import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';

// Tables as XLSX, written by ExcelJS's streaming writer row by row: the workbook is never whole in
// memory. The first row holds the original labels (Chinese kept); values keep their types.

/** The rows of `pages` as the bytes of one-sheet workbook. */
export async function* writeXlsx(
  pages: AsyncIterable<Record<string, unknown>[]>,
  ids: string[],
  labels: string[],
): AsyncIterable<Buffer> {
  // Loaded on use: ExcelJS takes most of a second to import, which every process would pay at start.
  const { default: excel } = await import('exceljs');
  const out = new PassThrough();
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('data');
  const writing = (async () => {
    sheet.addRow(labels.map((label, i) => label || ids[i])).commit();
    for await (const rows of pages) {
      for (const row of rows) sheet.addRow(ids.map((id) => cellOf(row[id]))).commit();
    }
    sheet.commit();
    await workbook.commit();
  })();
  writing.catch((err) => out.destroy(err));
  for await (const chunk of out) yield chunk as Buffer;
  await writing;
}

function cellOf(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) return value;
  return String(value);
}
