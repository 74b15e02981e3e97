import { stat } from 'node:fs/promises';
import { LoadError } from './errors.ts';
import { clip, IssueLog, reportHeader } from './issues.ts';
import { RowNumbers } from './row-numbers.ts';
import type { ReaderLimits, RowReader } from './types.ts';
import { filled, type Head, readHeader } from './xlsx-header.ts';
import { type SheetRow, type SheetStream, streamSheet } from './xlsx-sheet.ts';
import { loadWorkbook } from './xlsx-workbook.ts';
import { type GuardedZip, openGuardedZip } from './zip-guard.ts';

/** Rows of one worksheet (the named one, else the first with any value), after its title rows and header. */
export async function openXlsxRows(
  file: string,
  opts: { sheet?: string; limits: ReaderLimits; signal?: AbortSignal },
): Promise<RowReader> {
  const { limits } = opts;
  const size = (await stat(file)).size;
  const zip = await openGuardedZip(file, limits, 'datastore.bad_xlsx');
  try {
    const workbook = await loadWorkbook(zip);
    const sheets = workbook.sheets.map((s) => s.name);
    if (sheets.length === 0) throw new LoadError('datastore.bad_xlsx', 'The workbook has no worksheets');
    let candidates = workbook.sheets;
    if (opts.sheet !== undefined) {
      candidates = workbook.sheets.filter((s) => s.name === opts.sheet);
      if (candidates.length === 0) {
        throw new LoadError('datastore.sheet_not_found', `The workbook has no sheet named "${opts.sheet}"`, {
          sheet: opts.sheet,
          sheets,
        });
      }
    } else {
      // Hidden sheets are usually lookup tables: a visible one is preferred.
      candidates = [...candidates.filter((s) => !s.hidden), ...candidates.filter((s) => s.hidden)];
    }
    for (const sheet of candidates) {
      const stream = await streamSheet(zip, sheet.path, workbook, opts.signal);
      const head = await readHeader(stream, limits);
      if (!head) {
        await stream.rows.return(undefined);
        continue;
      }
      const log = new IssueLog();
      reportHeader(log, head.labels.slice(0, head.labelled), head.titles, {
        rows: head.titleRows,
        headerRow: head.headerRow,
        sheet: true,
      });
      if (head.twoRows) {
        log.add({
          kind: 'header_rows',
          message: `The header spans sheet rows ${head.twoRows.first} and ${head.headerRow} (group titles merged over the column titles): each column is named “group/title”, such as “${head.twoRows.example}”`,
          params: { first: head.twoRows.first, last: head.headerRow, example: head.twoRows.example },
        });
      }
      const numbers = new RowNumbers();
      return {
        labels: head.labels,
        sheet: sheet.name,
        sheets,
        titleRows: head.titles,
        issues: log.examples,
        issueCounts: () => Object.fromEntries(log.counts),
        bytesRead: () => Math.round(stream.progress() * size),
        headerRow: head.headerRow,
        dataRowOf: (n) => numbers.dataRowOf(n),
        rows: dataRows(stream, head, limits, log, zip, numbers),
      };
    }
    throw new LoadError(
      'datastore.no_rows',
      opts.sheet === undefined
        ? 'Every sheet of the workbook is empty'
        : `The sheet "${opts.sheet}" is empty`,
      { sheets },
    );
  } catch (err) {
    zip.close();
    throw err;
  }
}

/** Most footer rows (totals, notes) held back at once. */
const MAX_FOOTER_ROWS = 20;

/** A totals row: its first value says so. */
const TOTAL = /^(合计|总计|小计|共计|总数|全市合计|全省合计|total|grand total|sum)[:：]?$/i;
/** A note below a table: a single value that starts like one. */
const NOTE =
  /^(注|备注|说明|附注|资料来源|数据来源|来源|填报|填表|制表|审核|负责人|单位负责人|统计负责人|联系电话|报出日期|note|source)/i;

function footerKind(row: SheetRow): 'total_row' | 'note_row' | undefined {
  const first = row.cells.find((c): c is string => c !== null && c.trim() !== '');
  if (first === undefined) return undefined;
  if (TOTAL.test(first.replace(/\s+/g, ''))) return 'total_row';
  return filled(row) === 1 && NOTE.test(first.trim()) ? 'note_row' : undefined;
}

async function* dataRows(
  stream: SheetStream,
  head: Head,
  limits: ReaderLimits,
  log: IssueLog,
  zip: GuardedZip,
  numbers: RowNumbers,
): AsyncGenerator<(string | null)[]> {
  const width = head.labels.length;
  const { offset } = head;
  let lastRow = head.headerRow;
  let yielded = 0;
  /** Columns past the labelled ones (from the used range) that turned out to hold a value. */
  const unlabelledUsed = new Set<number>();
  const column = (index: number) => head.labels[Math.min(Math.max(index - offset, 0), width - 1)];

  /** A sheet row as a row of exactly `width` values, its repairs reported. */
  function prepare(row: SheetRow): (string | null)[] {
    const dataRow = row.number - head.headerRow;
    // Blank rows are only worth reporting when data follows them, not the formatted tail of a sheet.
    for (let blank = lastRow + 1; blank < row.number; blank++) {
      log.add({
        kind: 'blank_row',
        row: blank - head.headerRow,
        message: `Blank sheet row ${blank} was skipped`,
        params: { variant: 'sheet', sheetRow: blank },
      });
    }
    lastRow = row.number;
    for (const error of row.errors ?? []) {
      log.add({
        kind: 'cell_error',
        row: dataRow,
        column: column(error.column),
        message: `Sheet row ${row.number} holds the Excel error ${error.text}; it was left empty`,
        params: { sheetRow: row.number, error: error.text },
        sample: error.text,
      });
    }
    for (const lost of row.lost ?? []) {
      log.add({
        kind: 'precision_lost',
        row: dataRow,
        column: column(lost.column),
        message: `Sheet row ${row.number} holds the number ${lost.text}: Excel keeps only 15 digits, so its last digits were lost in the workbook and cannot be recovered. Enter ID numbers and credit codes as text (format the column as Text, or type a leading apostrophe) and upload again`,
        params: { sheetRow: row.number, value: lost.text },
        sample: lost.text,
      });
    }
    for (const at of row.uncached ?? []) {
      log.add({
        kind: 'formula_not_cached',
        row: dataRow,
        column: column(at),
        message: `Sheet row ${row.number} holds a formula saved without its result. Civitas does not calculate formulas, so the cell was left empty: open the file in Excel or WPS, save it, and upload again`,
        params: { sheetRow: row.number },
      });
    }
    const cells = offset > 0 ? row.cells.slice(offset) : row.cells;
    if (cells.length > width) {
      const extra = cells.slice(width).filter((c) => c !== null && c !== '');
      if (extra.length) {
        log.add({
          kind: 'ragged_row',
          row: dataRow,
          column: head.labels[width - 1],
          message: `Sheet row ${row.number} has values right of the last column; they were kept in the last column`,
          params: { variant: 'sheet_extra', sheetRow: row.number },
          sample: clip(extra.join(' ')),
        });
        cells[width - 1] = [cells[width - 1], ...extra].filter((c) => c !== null && c !== '').join(' ');
      }
      cells.length = width;
    }
    while (cells.length < width) cells.push(null);
    for (let i = head.labelled; i < width; i++) if (cells[i] !== null) unlabelledUsed.add(i);
    return cells;
  }

  /** A footer row that turned out to be followed by data is data after all. */
  const footerKept = (row: SheetRow) =>
    log.add({
      kind: 'total_row',
      row: row.number - head.headerRow,
      message: `Sheet row ${row.number} looks like a totals row, but data follows it, so it was loaded as a row`,
      params: { variant: 'kept', sheetRow: row.number },
      sample: clip(row.cells.filter((c) => c !== null && c !== '').join(' ')),
    });

  async function* all(): AsyncGenerator<SheetRow> {
    yield* head.pending;
    yield* stream.rows;
  }
  // Totals and notes at the bottom of a sheet are not records; they are held back until it is clear
  // whether data follows them.
  const held: { row: SheetRow; kind: 'total_row' | 'note_row' }[] = [];
  let footers = true;
  try {
    for await (const row of all()) {
      if (filled(row) === 0) continue;
      const footer = footerKind(row);
      // A long run of such rows is data (a column of remarks), and holding it would cost memory.
      if (held.length >= MAX_FOOTER_ROWS) footers = false;
      if (footer && footers) {
        held.push({ row, kind: footer });
        continue;
      }
      for (const h of [...held.splice(0), { row, kind: footer }]) {
        if (h.kind === 'total_row') footerKept(h.row);
        if (limits.maxRows !== undefined && yielded >= limits.maxRows) {
          log.add({
            kind: 'row_limit',
            message: `Only the first ${limits.maxRows} rows were read`,
            params: { max: limits.maxRows },
          });
          return;
        }
        const cells = prepare(h.row);
        yielded++;
        numbers.note(yielded, h.row.number - head.headerRow);
        yield cells;
      }
    }
    for (const { row, kind } of held) {
      log.add({
        kind,
        row: row.number - head.headerRow,
        message:
          kind === 'total_row'
            ? `Sheet row ${row.number}, a totals row below the data, was skipped: it is not a record`
            : `Sheet row ${row.number}, a note below the data, was skipped`,
        params: { variant: 'skipped', sheetRow: row.number },
        sample: clip(row.cells.filter((c) => c !== null && c !== '').join(' ')),
      });
    }
    for (const i of unlabelledUsed) {
      log.add({
        kind: 'empty_header',
        column: `#${i + 1}`,
        message: `Column ${i + 1} has no header label`,
        params: { position: i + 1 },
      });
    }
  } finally {
    await stream.rows.return(undefined);
    zip.close();
  }
}
