import { openDelimitedRows } from './csv-reader.ts';
import { LoadError } from './errors.ts';
import { openJsonRows } from './json-reader.ts';
import { openNdjsonRows } from './ndjson-reader.ts';
import { openParquetRows } from './parquet-reader.ts';
import { DEFAULT_LIMITS, type OpenRowsOptions, type RowReader } from './types.ts';
import { openXlsxRows } from './xlsx-reader.ts';

export { type CopyOptions, copyOptionsFor, encodeCopyText } from './copy-text.ts';
export { detectFormat } from './detect-format.ts';
export { decodeToUtf8 } from './encoding.ts';
export { LoadError, type LoadErrorCode } from './errors.ts';
export { sniffedTitleIssues } from './issues.ts';
export { type SniffOptions, sniffDelimited, sniffFile } from './sniff.ts';
export {
  DEFAULT_LIMITS,
  type Encoding,
  type LoadIssue,
  type LoadIssueKind,
  type OpenRowsOptions,
  type ReaderLimits,
  type RowReader,
  type Sniffed,
  type SourceFormat,
} from './types.ts';

/** Opens a file as rows of text values with its header labels, repairing what it can and reporting it. */
export async function openRows(file: string, opts: OpenRowsOptions): Promise<RowReader> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  switch (opts.format) {
    case 'csv':
    case 'tsv':
      return openDelimitedRows(file, {
        sniffed: opts.sniffed,
        delimiter: opts.format === 'tsv' ? '\t' : undefined,
        limits,
        signal: opts.signal,
      });
    case 'xlsx':
      return openXlsxRows(file, { sheet: opts.sheet, limits, signal: opts.signal });
    case 'json':
    case 'geojson':
      return openJsonRows(file, { geojson: opts.format === 'geojson', limits, signal: opts.signal });
    case 'ndjson':
      return openNdjsonRows(file, { limits, signal: opts.signal });
    case 'parquet':
      return openParquetRows(file, { limits, signal: opts.signal });
    default:
      throw new LoadError(
        'datastore.unsupported_format',
        `The format ${String(opts.format)} is not supported`,
        {
          format: opts.format,
        },
      );
  }
}
