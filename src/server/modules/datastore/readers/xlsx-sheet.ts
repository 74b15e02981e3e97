import { Parser } from 'htmlparser2';
import { columnIndex, formatNumber, serialToIso, unescapeOoxml } from './xlsx-values.ts';
import type { Workbook } from './xlsx-workbook.ts';
import type { GuardedZip } from './zip-guard.ts';

/** Excel's own column limit; cells claiming to lie further right are ignored. */
const EXCEL_MAX_COLUMNS = 16_384;

/** Excel keeps 15 significant digits: from 10^15 on, a number's integer digits are no longer all there. */
const MAX_EXACT = 1e15;

export interface SheetRow {
  /** 1-based row number in the sheet. */
  number: number;
  cells: (string | null)[];
  errors?: { column: number; text: string }[];
  /** Numbers past the 15 significant digits Excel keeps (an ID number typed as a number): their last digits are gone. */
  lost?: { column: number; text: string }[];
  /** Columns of formulas saved without a result (written by a program, or saved with calculation off). */
  uncached?: number[];
}

export interface SheetStream {
  rows: AsyncGenerator<SheetRow>;
  /** Column count of the sheet's declared used range, when it has one. */
  dimensionWidth(): number | undefined;
  /** First column (0-based) of the declared used range, when it has one. */
  dimensionStart(): number | undefined;
  /** Share of the sheet's XML inflated so far. */
  progress(): number;
}

/** Streams a worksheet's rows with cell values as text (shared strings, dates, numbers, booleans resolved). */
export async function streamSheet(
  zip: GuardedZip,
  path: string,
  workbook: Workbook,
  signal?: AbortSignal,
): Promise<SheetStream> {
  const entry = zip.entries.get(path);
  const total = Math.max(entry?.uncompressedSize ?? 1, 1);
  let inflated = 0;
  let dimension: number | undefined;
  let dimensionStart: number | undefined;
  const stream = await zip.open(path);
  const ready: SheetRow[] = [];
  let row: SheetRow | undefined;
  let nextRowNumber = 1;
  let col = 0;
  let type = 'n';
  let style = 0;
  let parts: string[] = [];
  let capture = false;
  let inInline = false;
  let phonetic = 0;
  let formula = false;
  let failure: Error | undefined;

  const finishCell = () => {
    if (!row || col >= EXCEL_MAX_COLUMNS) return;
    const raw = parts.join('');
    let value: string | null;
    // We never calculate formulas: one saved without its result stays empty, and the steward is told.
    const uncached = raw === '' && formula && type !== 'e';
    if (uncached) {
      row.uncached ??= [];
      row.uncached.push(col);
    }
    switch (uncached ? 'uncached' : type) {
      case 'uncached':
        value = null;
        break;
      case 's':
        value = workbook.sharedStrings[Number(raw)] ?? null;
        break;
      case 'str':
      case 'inlineStr':
        value = unescapeOoxml(raw);
        break;
      case 'b':
        value = raw === '' ? null : raw === '1' || raw === 'true' ? 'true' : 'false';
        break;
      case 'e':
        value = null;
        if (raw) {
          row.errors ??= [];
          row.errors.push({ column: col, text: raw });
        }
        break;
      case 'd':
        value = raw || null;
        break;
      default: {
        if (raw === '') value = null;
        else {
          const kind = workbook.styleKinds[style] ?? 'number';
          const n = Number(raw);
          value =
            kind === 'number' || !Number.isFinite(n)
              ? (workbook.stylePadding[style]?.(raw) ?? formatNumber(raw))
              : serialToIso(n, kind, workbook.date1904);
          if (kind === 'number' && Math.abs(n) >= MAX_EXACT) {
            row.lost ??= [];
            row.lost.push({ column: col, text: value });
          }
        }
      }
    }
    while (row.cells.length < col) row.cells.push(null);
    row.cells[col] = value;
  };

  const parser = new Parser(
    {
      onopentag(qname, attrs) {
        const name = qname.slice(qname.indexOf(':') + 1);
        if (name === 'c') {
          col = attrs.r ? columnIndex(attrs.r) : (row?.cells.length ?? 0);
          type = attrs.t ?? 'n';
          formula = false;
          style = Number(attrs.s ?? 0);
          parts = [];
        } else if (name === 'v') capture = true;
        else if (name === 'f') formula = true;
        else if (name === 'is') inInline = true;
        else if (name === 't') capture = inInline && phonetic === 0;
        else if (name === 'rPh') phonetic++;
        else if (name === 'row') {
          const number = Number(attrs.r) || nextRowNumber;
          row = { number, cells: [] };
          nextRowNumber = number + 1;
        } else if (name === 'dimension' && attrs.ref) {
          const [first, last = first] = attrs.ref.split(':') as [string, string?];
          dimension = columnIndex(last) + 1;
          dimensionStart = columnIndex(first);
        }
      },
      onclosetag(qname) {
        const name = qname.slice(qname.indexOf(':') + 1);
        if (name === 'v' || name === 't') capture = false;
        else if (name === 'is') inInline = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'c') finishCell();
        else if (name === 'row' && row) {
          ready.push(row);
          row = undefined;
        }
      },
      ontext(text) {
        if (capture) parts.push(text);
      },
      onerror(err) {
        failure = err;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );

  async function* rows(): AsyncGenerator<SheetRow> {
    const decoder = new TextDecoder('utf-8');
    try {
      for await (const chunk of stream) {
        if (signal?.aborted) throw signal.reason;
        inflated += (chunk as Buffer).length;
        parser.write(decoder.decode(chunk as Buffer, { stream: true }));
        if (failure) throw failure;
        yield* ready.splice(0);
      }
      parser.end(decoder.decode());
      if (failure) throw failure;
      yield* ready.splice(0);
    } finally {
      stream.destroy();
    }
  }

  return {
    rows: rows(),
    dimensionWidth: () => dimension,
    dimensionStart: () => dimensionStart,
    progress: () => Math.min(1, inflated / total),
  };
}
