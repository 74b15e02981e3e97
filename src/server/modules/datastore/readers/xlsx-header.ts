import { tooManyColumns } from './errors.ts';
import { normaliseLabel } from './sniff.ts';
import type { ReaderLimits } from './types.ts';
import type { SheetRow, SheetStream } from './xlsx-sheet.ts';

// Where a hand-made worksheet's table starts: title rows (a merged title, "填报单位：…") above it, a
// header that may span two rows (group titles merged over the column titles), and a used range that
// need not start at column A.

const MAX_TITLE_ROWS = 10;

export interface Head {
  labels: string[];
  /** Labels the header row gave; columns from there to `labels.length` come from the used range only. */
  labelled: number;
  titles: string[];
  /** The sheet row of each title. */
  titleRows: number[];
  /** The last header row: data rows are counted from here. */
  headerRow: number;
  /** When the header spans two rows: its first row and one joined label to quote. */
  twoRows?: { first: number; example: string };
  /** Columns left of the used range, dropped from every row. */
  offset: number;
  /** Rows read while looking for the header that turned out to be data. */
  pending: SheetRow[];
}

/** The trimmed text of a cell, or undefined when it is empty. */
const textOf = (c: string | null | undefined) => (c != null && c.trim() !== '' ? c.trim() : undefined);

/** How many cells of a row hold something. */
export function filled(row: SheetRow): number {
  let count = 0;
  for (const c of row.cells) if (textOf(c) !== undefined) count++;
  return count;
}

/** Title rows hold one value (a merged title cell) above a wider row: that row is the header. */
export async function readHeader(stream: SheetStream, limits: ReaderLimits): Promise<Head | undefined> {
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
  const titleRows = seen.slice(0, at);
  const pending = seen.slice(at + 1);
  if (pending.length === 0) {
    for await (const row of iterate(stream.rows)) {
      if (filled(row) === 0) continue;
      pending.push(row);
      break;
    }
  }
  const next = pending[0];
  const joined =
    next && next.number === header.number + 1 ? joinTwoRows(header.cells, next.cells) : undefined;
  const cells = joined ?? header.cells;
  let width = cells.length;
  while (width > 0 && textOf(cells[width - 1]) === undefined) width--;
  if (width > limits.maxColumns) throw tooManyColumns(width, limits.maxColumns);
  const labelled = width;
  // Columns inside the sheet's used range but without a label still hold data worth keeping.
  const declared = stream.dimensionWidth();
  if (declared !== undefined && declared > width && declared <= limits.maxColumns) width = declared;
  // A table placed at C5 has nothing in columns A and B: they are not columns of the table.
  const start = stream.dimensionStart() ?? 0;
  const offset = start > 0 && cells.slice(0, start).every((c) => textOf(c) === undefined) ? start : 0;
  const labels = Array.from({ length: width - offset }, (_, i) => normaliseLabel(cells[i + offset] ?? null));
  return {
    labels,
    labelled: Math.max(labelled - offset, 0),
    titles: titleRows.map((r) => r.cells.map(textOf).find((c) => c !== undefined)!),
    titleRows: titleRows.map((r) => r.number),
    headerRow: joined ? next!.number : header.number,
    ...(joined
      ? { twoRows: { first: header.number, example: joined.find((l) => l?.includes('/')) ?? '' } }
      : {}),
    offset,
    pending: joined ? pending.slice(1) : pending,
  };
}

/** A value a data row would hold rather than a column title: a number, a date, a boolean. */
const looksLikeValue = (v: string) =>
  Number.isFinite(Number(v.replace(/,/g, ''))) ||
  /^\d{4}-\d{2}-\d{2}/.test(v) ||
  v === 'true' ||
  v === 'false';

/**
 * The labels of a two-row header, "group/column", or undefined when `next` is a data row. The sign of a
 * group title merged across columns is a gap in the header that the next row fills with titles;
 * a data row would rarely be all text and also leave a labelled column empty (a title merged down)
 * or repeat a value (the same column titles under each group).
 */
function joinTwoRows(header: (string | null)[], next: (string | null)[]): (string | null)[] | undefined {
  const first = header.findIndex((c) => textOf(c) !== undefined);
  let last = header.length - 1;
  while (last > first && textOf(header[last]) === undefined) last--;
  let nextLast = next.length - 1;
  while (nextLast > 0 && textOf(next[nextLast]) === undefined) nextLast--;
  // Under the header's blank cells (inside it, or right of its last title when a group ends it).
  const gaps: number[] = [];
  for (let i = first + 1; i <= Math.max(last, nextLast); i++)
    if (textOf(header[i]) === undefined) gaps.push(i);
  if (gaps.length === 0 || gaps.some((i) => textOf(next[i]) === undefined)) return undefined;
  const values = next.map(textOf).filter((v) => v !== undefined);
  if (values.length < 2 || values.some(looksLikeValue)) return undefined;
  const mergedDown = header.some((c, i) => textOf(c) !== undefined && textOf(next[i]) === undefined);
  if (!mergedDown && new Set(values).size === values.length) return undefined;
  let group: string | undefined;
  return Array.from({ length: Math.max(header.length, next.length) }, (_, i) => {
    const own = textOf(header[i]);
    if (own !== undefined) group = own;
    const sub = textOf(next[i]);
    if (sub === undefined) return own ?? null;
    return group === undefined || i < first ? sub : `${own ?? group}/${sub}`;
  });
}

/** Iterates a generator without closing it when the loop breaks. */
async function* iterate<T>(gen: AsyncGenerator<T>): AsyncGenerator<T> {
  for (;;) {
    const next = await gen.next();
    if (next.done) return;
    yield next.value;
  }
}
