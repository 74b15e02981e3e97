/** The file formats the DataStore can read. */
export type SourceFormat = 'csv' | 'tsv' | 'xlsx' | 'json' | 'ndjson' | 'geojson' | 'parquet';

/** Text encodings the delimited readers understand; anything else is converted before loading. */
export type Encoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/**
 * What the sniffer concluded about a delimited file. Offsets are byte offsets into the raw file:
 * the fast path streams the bytes from `dataOffset` into `COPY … FORMAT csv` (no HEADER).
 */
export interface Sniffed {
  encoding: Encoding;
  bomBytes: number;
  delimiter: string;
  quote: string;
  newline: '\n' | '\r\n' | '\r';
  /** Byte offset of the header row (after the BOM and any title rows). */
  headerOffset: number;
  /** Byte offset of the first data row. */
  dataOffset: number;
  /** Lines skipped above the header, e.g. "岚山市2023年企业名录". */
  titleRows: string[];
  /** The file row (1-based) of each of `titleRows`. */
  titleRowNumbers?: number[];
  /** The header's row in the file as a spreadsheet numbers it (1 unless title or blank rows precede it). */
  headerRow?: number;
  labels: string[];
  columnCount: number;
}

export type LoadIssueKind =
  | 'ragged_row'
  | 'unbalanced_quote'
  | 'nul_bytes'
  | 'blank_row'
  | 'duplicate_header'
  | 'empty_header'
  | 'title_row'
  | 'truncated_field'
  | 'encoding_repaired'
  | 'cell_error'
  | 'precision_lost'
  | 'formula_not_cached'
  | 'header_rows'
  | 'total_row'
  | 'note_row'
  | 'invalid_json_line'
  | 'not_an_object'
  | 'row_limit';

/** Something a reader repaired or skipped, for the data steward to review. */
export interface LoadIssue {
  kind: LoadIssueKind;
  /** 1-based data row (the first row after the header is 1, blank rows counted); staging turns it into the file's row. */
  row?: number;
  column?: string;
  /** English text for logs and API callers; the console renders kind and params in the reader's language. */
  message: string;
  /** The figures the message quotes (counts, sheet rows…), and `variant` when a kind has several messages. */
  params?: IssueParams;
  sample?: string;
}

export type IssueParams = Record<string, string | number>;

export interface ReaderLimits {
  /** PostgreSQL allows 1,600 columns in a table. */
  maxColumns: number;
  /** Longer fields are truncated and reported. */
  maxFieldBytes: number;
  /** Stop after this many data rows (reported); unlimited when undefined. */
  maxRows?: number;
  /** Total bytes a zip (XLSX) may inflate to. */
  maxInflatedBytes: number;
  /** Highest uncompressed/compressed ratio tolerated for one zip entry. */
  maxCompressionRatio: number;
  /** Most entries a zip may hold. */
  maxZipEntries: number;
  /** Deepest JSON nesting accepted. */
  maxJsonDepth: number;
  /** A quoted CSV field spanning more lines than this is taken to be an unbalanced quote. */
  maxQuotedLines: number;
}

export const DEFAULT_LIMITS: ReaderLimits = {
  maxColumns: 1600,
  maxFieldBytes: 64 * 1024 * 1024,
  maxInflatedBytes: 4 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxZipEntries: 10_000,
  maxJsonDepth: 64,
  maxQuotedLines: 10_000,
};

/** Rows of one source, each exactly `labels.length` long. */
export interface RowReader {
  labels: string[];
  encoding?: string;
  sheet?: string;
  sheets?: string[];
  titleRows: string[];
  /** Values as text; null where the source has no value. Iterate once. */
  rows: AsyncIterable<(string | null)[]>;
  /** Filled while iterating. */
  issues: LoadIssue[];
  /** How often each issue kind occurred, including those beyond the kept examples. */
  issueCounts(): Partial<Record<LoadIssueKind, number>>;
  /** Bytes of the source file consumed so far, for progress. */
  bytesRead(): number;
  /**
   * JSON and NDJSON: where the `yielded`-th row (1-based) sits in the file — its element's index in
   * the array (1-based), or its line — since skipped elements and lines leave gaps.
   */
  recordOf?(yielded: number): number;
  /**
   * Formats with a header row (delimited, XLSX): the header's row in the file (1-based, as a spreadsheet
   * numbers rows), and the data row (1 = the row after the header, blank rows counted, as issues' `row`)
   * of the n-th row yielded. File row = headerRow + data row.
   */
  headerRow?: number;
  dataRowOf?(yielded: number): number;
}

export interface OpenRowsOptions {
  format: SourceFormat;
  sniffed?: Sniffed;
  sheet?: string;
  limits?: Partial<ReaderLimits>;
  signal?: AbortSignal;
}
