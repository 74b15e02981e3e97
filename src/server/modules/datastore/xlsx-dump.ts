import { PassThrough } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { DatastoreType } from '../../../contracts/datastore.ts';

// Tables as XLSX, written by ExcelJS's streaming writer row by row: the workbook is never whole in
// memory. The first row holds the original labels (Chinese kept). Cells keep their column's type,
// so that a spreadsheet sums amounts and sorts dates: numbers as numbers (unless Excel's doubles
// would lose digits: those stay text), dates and timestamps as dates shown as such, booleans as
// booleans. Masked values, times and text stay text.

/** A column of the dump: what its cells hold. */
export interface XlsxColumn {
  id: string;
  label: string;
  type: DatastoreType;
  /** Its values are masked text whatever the type. */
  masked: boolean;
}

const FORMATS: Partial<Record<DatastoreType, string>> = {
  date: 'yyyy-mm-dd',
  timestamp: 'yyyy-mm-dd hh:mm:ss',
};

/** The rows of `pages` as the bytes of one-sheet workbook. */
export async function* writeXlsx(
  pages: AsyncIterable<Record<string, unknown>[]>,
  columns: XlsxColumn[],
): AsyncIterable<Buffer> {
  // Loaded on use: ExcelJS takes most of a second to import, which every process would pay at start.
  const { default: excel } = await import('exceljs');
  const out = new PassThrough();
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: out,
    // Styles carry the date formats (without them a date shows as its serial number).
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('data');
  sheet.columns = columns.map((c) => {
    const numFmt = c.masked ? undefined : FORMATS[c.type];
    return { key: c.id, ...(numFmt ? { style: { numFmt } } : {}) };
  });
  const cells = columns.map((c) => (c.masked ? asText : (CELL[c.type] ?? asText)));
  const writing = (async () => {
    sheet.addRow(columns.map((c) => c.label || c.id)).commit();
    for await (const rows of pages) {
      for (const row of rows) sheet.addRow(columns.map((c, i) => cells[i]!(row[c.id]))).commit();
    }
    sheet.commit();
    await workbook.commit();
  })();
  writing.catch((err) => out.destroy(err));
  for await (const chunk of out) yield chunk as Buffer;
  await writing;
}

type Cell = (value: unknown) => ExcelJS.CellValue;

const asText: Cell = (value) => (value === null || value === undefined ? null : String(value));

/** Significant digits of a decimal text (sign, point and leading zeros aside). */
const significantDigits = (text: string) => text.replace(/[^0-9]/g, '').replace(/^0+/, '').length;

/** A number Excel holds exactly (15 significant digits), else the text. */
const asNumber: Cell = (value) => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  const text = String(value);
  const n = Number(text);
  return Number.isFinite(n) && significantDigits(text) <= 15 ? n : text;
};

/** YYYY-MM-DD[THH:MM:SS[.ffffff]] as the date and time it reads (no time zone: a naive value). */
const asDate: Cell = (value) => {
  if (value === null || value === undefined) return null;
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?)?$/.exec(String(value));
  if (!m) return String(value);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = ''] = m;
  const ms = frac ? Math.round(Number(frac) * 1000) : 0;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
};

const CELL: Partial<Record<DatastoreType, Cell>> = {
  integer: asNumber,
  bigint: asNumber,
  numeric: asNumber,
  boolean: (value) => (typeof value === 'boolean' ? value : asText(value)),
  date: asDate,
  timestamp: asDate,
};
