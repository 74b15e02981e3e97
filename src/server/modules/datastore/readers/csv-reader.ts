import { createReadStream } from 'node:fs';
import { DelimitedParser, type ParsedRecord } from './delimited-parser.ts';
import { ChunkDecoder } from './encoding.ts';
import { clip, IssueLog, reportHeader } from './issues.ts';
import { RowNumbers } from './row-numbers.ts';
import { sniffFile } from './sniff.ts';
import type { ReaderLimits, RowReader, Sniffed } from './types.ts';

/** Rows of a delimited file, read from its first data row with the sniffer's verdict. */
export async function openDelimitedRows(
  file: string,
  opts: { sniffed?: Sniffed; delimiter?: string; limits: ReaderLimits; signal?: AbortSignal },
): Promise<RowReader> {
  const { limits } = opts;
  const sniffed =
    opts.sniffed ?? (await sniffFile(file, { delimiter: opts.delimiter, maxColumns: limits.maxColumns }));
  const log = new IssueLog();
  reportHeader(log, sniffed.labels, sniffed.titleRows, {
    rows: sniffed.titleRowNumbers ?? [],
    headerRow: sniffed.headerRow ?? 1,
  });
  const numbers = new RowNumbers();
  let stream: ReturnType<typeof createReadStream> | undefined;
  return {
    labels: sniffed.labels,
    encoding: sniffed.encoding,
    titleRows: sniffed.titleRows,
    issues: log.examples,
    issueCounts: () => Object.fromEntries(log.counts),
    bytesRead: () => sniffed.dataOffset + (stream?.bytesRead ?? 0),
    headerRow: sniffed.headerRow ?? 1,
    dataRowOf: (n) => numbers.dataRowOf(n),
    rows: {
      [Symbol.asyncIterator]: () => {
        stream = createReadStream(file, {
          start: sniffed.dataOffset,
          highWaterMark: 1 << 20,
          signal: opts.signal,
        });
        return delimitedRows(stream, sniffed, limits, log, numbers)[Symbol.asyncIterator]();
      },
    },
  };
}

async function* delimitedRows(
  source: AsyncIterable<Buffer>,
  sniffed: Sniffed,
  limits: ReaderLimits,
  log: IssueLog,
  numbers: RowNumbers,
): AsyncGenerator<(string | null)[]> {
  const width = sniffed.columnCount;
  const labels = sniffed.labels;
  let row = 0;
  let yielded = 0;
  // Decoding runs ahead of parsing (a whole chunk at a time), so the row count parsed so far says
  // nothing about where the bad line is: the decoder's own line number does. Lines and rows agree
  // unless a quoted field spans lines before it.
  const decoder = new ChunkDecoder(sniffed.encoding, 0, (line, text) =>
    log.add({
      kind: 'encoding_repaired',
      row: line,
      message: `Line ${line} (counted from the first data row) was not valid UTF-8 and was read as GB18030`,
      params: { line },
      sample: text.trim(),
    }),
  );
  const parser = new DelimitedParser(sniffed.delimiter, sniffed.quote, limits);
  const records: ParsedRecord[] = [];

  const shape = (record: ParsedRecord): (string | null)[] | undefined => {
    row++;
    for (const repair of record.repairs ?? []) {
      log.add({
        kind: repair.kind,
        row,
        column: labels[Math.min(repair.field, width - 1)],
        message: repair.message,
        params: repair.params,
        sample: repair.sample,
      });
    }
    const fields = record.fields;
    if (fields.every((f) => f === null || f === '')) {
      log.add({ kind: 'blank_row', row, message: 'A blank row was skipped', params: {} });
      return undefined;
    }
    if (fields.length === width) return fields;
    if (fields.length < width) {
      log.add({
        kind: 'ragged_row',
        row,
        message: `The row has ${fields.length} of ${width} fields; the missing values are left empty`,
        params: { variant: 'short', found: fields.length, expected: width },
        sample: sampleOf(fields, sniffed.delimiter),
      });
      while (fields.length < width) fields.push(null);
      return fields;
    }
    const extra = fields.slice(width);
    if (extra.every((f) => f === null || f === '')) {
      log.add({
        kind: 'ragged_row',
        row,
        message: `The row has ${fields.length} fields, ${width} expected; the empty trailing fields were dropped`,
        params: { variant: 'trailing_empty', found: fields.length, expected: width },
        sample: sampleOf(fields, sniffed.delimiter),
      });
      return fields.slice(0, width);
    }
    // An unquoted delimiter inside the last (usually free-text) column is the common cause: keep the text.
    const last = fields.slice(width - 1).map((f) => f ?? '');
    log.add({
      kind: 'ragged_row',
      row,
      column: labels[width - 1],
      message: `The row has ${fields.length} fields, ${width} expected; the extra fields were kept in the last column`,
      params: { variant: 'extra_kept', found: fields.length, expected: width },
      sample: sampleOf(fields, sniffed.delimiter),
    });
    return [...fields.slice(0, width - 1), last.join(sniffed.delimiter)];
  };

  const drain = function* (): Generator<(string | null)[]> {
    for (const record of records) {
      const values = shape(record);
      if (values) yield values;
    }
    records.length = 0;
  };

  for await (const chunk of source) {
    let text = decoder.write(chunk);
    if (text.includes('\0')) text = stripNul(text, row + 1, log);
    parser.push(text, records);
    for (const values of drain()) {
      if (limits.maxRows !== undefined && yielded >= limits.maxRows) return rowLimit(log, limits.maxRows);
      yielded++;
      numbers.note(yielded, row);
      yield values;
    }
  }
  let text = decoder.end();
  if (text.includes('\0')) text = stripNul(text, row + 1, log);
  parser.push(text, records);
  parser.end(records);
  for (const values of drain()) {
    if (limits.maxRows !== undefined && yielded >= limits.maxRows) return rowLimit(log, limits.maxRows);
    yielded++;
    numbers.note(yielded, row);
    yield values;
  }
}

function rowLimit(log: IssueLog, max: number): void {
  log.add({ kind: 'row_limit', message: `Only the first ${max} rows were read`, params: { max } });
}

/** PostgreSQL text cannot hold NUL, and a NUL in a CSV is junk from a broken export. */
function stripNul(text: string, row: number, log: IssueLog): string {
  let count = 0;
  for (let i = text.indexOf('\0'); i >= 0; i = text.indexOf('\0', i + 1)) count++;
  log.add({
    kind: 'nul_bytes',
    row,
    message: `${count} NUL character(s) were removed near this row`,
    params: { characters: count },
  });
  return text.replaceAll('\0', '');
}

function sampleOf(fields: (string | null)[], delimiter: string): string {
  return clip(fields.map((f) => f ?? '').join(delimiter));
}
