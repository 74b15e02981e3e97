import { stat } from 'node:fs/promises';
import { LoadError, tooManyColumns } from './errors.ts';
import { clip, IssueLog, reportHeader } from './issues.ts';
import { RowNumbers } from './row-numbers.ts';
import { normaliseLabel } from './sniff.ts';
import type { ReaderLimits, RowReader } from './types.ts';
import { type SheetRow, type SheetStream, streamSheet } from './xlsx-sheet.ts';
import { loadWorkbook } from './xlsx-workbook.ts';
import { type GuardedZip, openGuardedZip } from './zip-guard.ts';

const MAX_TITLE_ROWS = 10;

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
      reportHeader(log, head.labels, head.titles);
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

interface Head {
  labels: string[];
  titles: string[];
  headerRow: number;
  /** Rows read while looking for the header that turned out to be data. */
  pending: SheetRow[];
}

function filled(row: SheetRow): number {
  let count = 0;
  for (const c of row.cells) if (c !== null && c.trim() !== '') count++;
  return count;
}

/** Title rows hold one value (a merged title cell) above a wider row: that row is the header. */
async function readHeader(stream: SheetStream, limits: ReaderLimits): Promise<Head | undefined> {
  const seen: SheetRow[] = [];
  for await (const row of iterate(stream.rows)) {
    if (filled(row) === 0) continue;
    seen.push(row);
    if (filled(row) >= 2 || seen.length > MAX_TITLE_ROWS) break;
  }
  if (seen.length === 0) return undefined;
  const wide = seen.findIndex((r) => filled(r) >= 2);
  const at = Math.max(wide, 0);
  const header = seen[at]!;
  const titles = seen.slice(0, at).map((r) => r.cells.find((c) => c !== null && c.trim() !== '')!.trim());
  let width = header.cells.length;
  while (width > 0 && (header.cells[width - 1] ?? '').trim() === '') width--;
  if (width > limits.maxColumns) throw tooManyColumns(width, limits.maxColumns);
  // Columns inside the sheet's used range but without a label still hold data worth keeping.
  const declared = stream.dimensionWidth();
  if (declared !== undefined && declared > width && declared <= limits.maxColumns) width = declared;
  const labels = Array.from({ length: width }, (_, i) => normaliseLabel(header.cells[i] ?? null));
  return { labels, titles, headerRow: header.number, pending: seen.slice(at + 1) };
}

/** Iterates a generator without closing it when the loop breaks. */
async function* iterate<T>(gen: AsyncGenerator<T>): AsyncGenerator<T> {
  for (;;) {
    const next = await gen.next();
    if (next.done) return;
    yield next.value;
  }
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
  let lastRow = head.headerRow;
  let yielded = 0;
  async function* all(): AsyncGenerator<SheetRow> {
    yield* head.pending;
    yield* stream.rows;
  }
  try {
    for await (const row of all()) {
      if (filled(row) === 0) continue;
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
          column: head.labels[Math.min(error.column, width - 1)],
          message: `Sheet row ${row.number} holds the Excel error ${error.text}; it was left empty`,
          params: { sheetRow: row.number, error: error.text },
          sample: error.text,
        });
      }
      const cells = row.cells;
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
      if (limits.maxRows !== undefined && yielded >= limits.maxRows) {
        log.add({
          kind: 'row_limit',
          message: `Only the first ${limits.maxRows} rows were read`,
          params: { max: limits.maxRows },
        });
        return;
      }
      yielded++;
      numbers.note(yielded, dataRow);
      yield cells;
    }
  } finally {
    await stream.rows.return(undefined);
    zip.close();
  }
}
