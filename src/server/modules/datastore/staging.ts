import fs from 'node:fs';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { copyIn } from '../../platform/copy-in.ts';
import type { Db } from '../../platform/db.ts';
import {
  copyOptionsFor,
  decodeToUtf8,
  detectFormat,
  encodeCopyText,
  type LoadIssue,
  openRows,
  type ReaderLimits,
  type Sniffed,
  type SourceFormat,
  sniffDelimited,
  sniffedTitleIssues,
} from './readers/index.ts';
import { qualified, STAGING_SCHEMA, stagingColumns, stagingTable } from './table-names.ts';

// Step one of a load: every value of the file into an all-text staging table `(_row, c1 … cN)`.
// On PostgreSQL a delimited file goes straight into COPY … FORMAT csv, so the database does the
// parsing at its full speed; when COPY refuses the file (ragged rows, broken quotes, NUL bytes), and
// for every other format and engine, the readers parse it in Node, repair what they can and report
// it, and the rows go to COPY in text format.

/** Bytes the sniffer looks at. */
const SNIFF_BYTES = 4 * 1024 * 1024;
/** Rows of COPY text gathered before handing them to the database. */
const BATCH_BYTES = 1024 * 1024;

export interface StagingOptions {
  fileName: string;
  sheet?: string | undefined;
  encoding?: Sniffed['encoding'] | undefined;
  delimiter?: string | undefined;
  limits?: Partial<ReaderLimits>;
  signal: AbortSignal;
  onProgress: (p: { bytes: number; rows: number }) => void;
}

export interface StagingResult {
  format: SourceFormat;
  labels: string[];
  path: 'copy' | 'typed' | 'parsed';
  rowsRead: number;
  bytes: number;
  encoding?: string | undefined;
  delimiter?: string | undefined;
  sheet?: string | undefined;
  sheets?: string[] | undefined;
  titleRows: string[];
  issues: (Omit<LoadIssue, 'kind'> & { kind: string })[];
  issueCount: number;
  /**
   * Delimited and XLSX files: the header's row in the file (1-based, as an editor or a spreadsheet
   * numbers rows), and the file row of each staged row (`_row`). Issues' rows are file rows too.
   * JSON and NDJSON: no header row, and `fileRow` gives the element's index in the array or the line.
   */
  headerRow?: number | undefined;
  fileRow?: ((stagedRow: number) => number) | undefined;
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Creates the staging table with `count` text columns (dropping a leftover of an earlier attempt). */
export async function createStaging(db: Db, loadId: string, count: number): Promise<void> {
  await dropStaging(db, loadId);
  const columns = sql.join(stagingColumns(count).map((c) => sql`${sql.id(c)} text`));
  // Unlogged: the staging rows are rebuilt from the file after a crash anyway, so WAL is wasted work.
  await sql`create unlogged table ${stagingTable(loadId)} (_row bigint generated always as identity, ${columns})`.execute(
    db,
  );
}

export async function dropStaging(db: Db, loadId: string): Promise<void> {
  await sql`drop table if exists ${stagingTable(loadId)}`.execute(db);
}

const copyTarget = (loadId: string, count: number) =>
  `COPY ${qualified(STAGING_SCHEMA, loadId)} (${stagingColumns(count)
    .map((c) => `"${c}"`)
    .join(', ')}) FROM {source}`;

/** What a load's file is: its format, its size and, for a delimited file, the sniffer's verdict. */
export interface SniffedSource {
  format: SourceFormat;
  totalBytes: number;
  sniffed?: Sniffed | undefined;
}

/** Reads the head of `file` and works out its format (and, when delimited, its dialect and header). */
export async function sniffSource(
  file: string,
  options: Pick<StagingOptions, 'fileName' | 'encoding' | 'delimiter'>,
): Promise<SniffedSource> {
  const head = await readHead(file);
  const totalBytes = (await fs.promises.stat(file)).size;
  const format = detectFormat(options.fileName, head);
  if (format !== 'csv' && format !== 'tsv') return { format, totalBytes };
  const sniffed = sniffDelimited(head, {
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.encoding ? { encoding: options.encoding } : {}),
    isLastChunk: head.length >= totalBytes,
  });
  return { format, totalBytes, sniffed };
}

/** A delimited file read straight by COPY: staged row n is the n-th record after the header. */
export function copiedFile(
  source: SniffedSource & { sniffed: Sniffed },
  rows: number,
  path: 'copy' | 'typed',
): StagingResult {
  const { sniffed } = source;
  const headerRow = sniffed.headerRow ?? 1;
  return {
    headerRow,
    fileRow: (n) => headerRow + n,
    format: source.format,
    labels: sniffed.labels,
    path,
    rowsRead: rows,
    bytes: source.totalBytes,
    encoding: sniffed.encoding,
    delimiter: sniffed.delimiter,
    titleRows: sniffed.titleRows,
    issues: sniffedTitleIssues(sniffed),
    issueCount: sniffed.titleRows.length,
  };
}

/** Fills the staging table of load `loadId` from `file` (sniffed already, or sniffed here). */
export async function fillStaging(
  ctx: AppContext,
  loadId: string,
  file: string,
  options: StagingOptions,
  sniffedSource?: SniffedSource,
): Promise<StagingResult> {
  const source = sniffedSource ?? (await sniffSource(file, options));
  const { format, sniffed, totalBytes } = source;
  let fastPathRefusal: string | undefined;
  if (sniffed && ctx.engine === 'postgres') {
    const copied = await tryCopyRaw(ctx, loadId, file, sniffed, totalBytes, options);
    // COPY refuses blank lines between rows, so here staged row n is the n-th record after the header.
    if (copied.ok) return copiedFile({ ...source, sniffed }, copied.rows, 'copy');
    fastPathRefusal = copied.reason;
  }
  return copyParsed(ctx, loadId, file, format, sniffed, totalBytes, options, fastPathRefusal);
}

/** The fast path: the raw bytes into COPY … FORMAT csv. Fails softly when PostgreSQL refuses the file. */
async function tryCopyRaw(
  ctx: AppContext,
  loadId: string,
  file: string,
  sniffed: Sniffed,
  totalBytes: number,
  options: StagingOptions,
): Promise<{ ok: true; rows: number } | { ok: false; reason: string }> {
  const { sqlOptions, needsNodeDecode } = copyOptionsFor(sniffed, 'postgres');
  await createStaging(ctx.db, loadId, sniffed.columnCount);
  let bytes = sniffed.dataOffset;
  const raw = fs.createReadStream(file, { start: sniffed.dataOffset, highWaterMark: 1024 * 1024 });
  const counted = raw.on('data', (chunk) => {
    bytes += chunk.length;
    options.onProgress({ bytes, rows: 0 });
  });
  const source: AsyncIterable<Buffer> = needsNodeDecode
    ? counted.pipe(decodeToUtf8(sniffed.encoding, 0))
    : counted;
  try {
    const rows = await copyIn(
      ctx.database,
      `${copyTarget(loadId, sniffed.columnCount)} WITH (${sqlOptions})`,
      source,
      {
        signal: options.signal,
      },
    );
    options.onProgress({ bytes: totalBytes, rows });
    return { ok: true, rows };
  } catch (err) {
    raw.destroy();
    if (options.signal.aborted) throw err;
    const message = (err as Error).message;
    // Only a refusal of the data sends the file to the Node parser; anything else is a real failure.
    if (!isDataError(err)) throw err;
    return { ok: false, reason: message };
  }
}

/** SQLSTATE classes of COPY refusing its input: data exceptions (22…) and bad copy format (22P04). */
const isDataError = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return typeof code === 'string' && (code.startsWith('22') || code === '0A000' || code === '54000');
};

async function copyParsed(
  ctx: AppContext,
  loadId: string,
  file: string,
  format: SourceFormat,
  sniffed: Sniffed | undefined,
  totalBytes: number,
  options: StagingOptions,
  fastPathRefusal: string | undefined,
): Promise<StagingResult> {
  const reader = await openRows(file, {
    format,
    ...(sniffed ? { sniffed } : {}),
    ...(options.sheet ? { sheet: options.sheet } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    signal: options.signal,
  });
  const count = reader.labels.length;
  await createStaging(ctx.db, loadId, count);
  let rowsRead = 0;
  async function* batches(): AsyncIterable<string> {
    let batch = '';
    let lastReport = 0;
    for await (const row of reader.rows) {
      batch += encodeCopyText(row);
      rowsRead++;
      if (batch.length >= BATCH_BYTES) {
        yield batch;
        batch = '';
        const now = Date.now();
        if (now - lastReport > 250) {
          lastReport = now;
          options.onProgress({ bytes: reader.bytesRead(), rows: rowsRead });
        }
      }
    }
    if (batch) yield batch;
  }
  await copyIn(ctx.database, `${copyTarget(loadId, count)} WITH (FORMAT text)`, batches(), {
    signal: options.signal,
  });
  options.onProgress({ bytes: totalBytes, rows: rowsRead });
  const { headerRow, dataRowOf } = reader;
  const issues: StagingResult['issues'] =
    headerRow === undefined ? [...reader.issues] : reader.issues.map((i) => inFileRows(i, headerRow));
  if (fastPathRefusal) {
    issues.unshift({
      kind: 'parsed_by_civitas',
      message: `PostgreSQL could not read the file as regular CSV (${fastPathRefusal}); Civitas parsed it itself`,
      params: { reason: fastPathRefusal },
    });
  }
  return {
    format,
    labels: reader.labels,
    path: 'parsed',
    rowsRead,
    bytes: totalBytes,
    encoding: reader.encoding ?? sniffed?.encoding,
    delimiter: sniffed?.delimiter,
    sheet: reader.sheet,
    sheets: reader.sheets,
    titleRows: reader.titleRows,
    issues,
    ...(headerRow !== undefined && dataRowOf
      ? { headerRow, fileRow: (n: number) => headerRow + dataRowOf(n) }
      : reader.recordOf
        ? { fileRow: reader.recordOf }
        : {}),
    // The readers keep the first examples of each problem but count every occurrence.
    issueCount: Math.max(issues.length, totalIssues(reader.issueCounts()) + (fastPathRefusal ? 1 : 0)),
  };
}

/** An issue with its row (and the line it quotes) counted from the top of the file rather than from the header. */
function inFileRows(issue: LoadIssue, headerRow: number): LoadIssue {
  if (issue.row === undefined) return issue;
  const out = { ...issue, row: issue.row + headerRow };
  if (issue.kind === 'encoding_repaired' && typeof issue.params?.line === 'number') {
    const line = issue.params.line + headerRow;
    out.params = { ...issue.params, line, variant: 'file_line' };
    out.message = `Line ${line} of the file was not valid UTF-8 and was read as GB18030`;
  }
  return out;
}

const totalIssues = (counts: Partial<Record<string, number>>) =>
  Object.values(counts).reduce((a: number, b) => a + (b ?? 0), 0);

/** Rows in the staging table. */
export async function stagingRowCount(db: Db, loadId: string): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${stagingTable(loadId)}`.execute(db);
  return r.rows[0]?.n ?? 0;
}
