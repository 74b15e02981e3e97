import {
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  type SchemaElement,
} from 'hyparquet';
import { LoadError, tooManyColumns } from './errors.ts';
import { IssueLog, reportHeader } from './issues.ts';
import {
  decimalScale,
  decimalText,
  isDecimal,
  unscaled,
  withoutDecimalAnnotation,
} from './parquet-decimal.ts';
import type { ReaderLimits, RowReader } from './types.ts';
import { plainDecimal } from './xlsx-values.ts';

/** Rows of a Parquet file, one row group at a time, every value as text (dates ISO, integers exact). */
export async function openParquetRows(
  file: string,
  opts: { limits: ReaderLimits; signal?: AbortSignal },
): Promise<RowReader> {
  const { limits } = opts;
  const buffer = await asyncBufferFromFile(file);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer, { parsers: PARSERS });
  } catch (err) {
    throw new LoadError(
      'datastore.bad_parquet',
      `The Parquet file cannot be read: ${(err as Error).message}`,
    );
  }
  const columns = topLevelColumns(metadata.schema);
  if (columns.length > limits.maxColumns) throw tooManyColumns(columns.length, limits.maxColumns);
  if (columns.length === 0 || metadata.num_rows === 0n) {
    throw new LoadError('datastore.no_rows', 'The Parquet file holds no rows', {
      rows: Number(metadata.num_rows),
    });
  }
  const labels = columns.map((c) => c.name);
  const decimals = new Set(columns.filter((c) => !c.nested && isDecimal(c.element)).map((c) => c.element));
  const readMetadata = withoutDecimalAnnotation(metadata, decimals);
  const formatters = columns.map(formatterFor);
  const log = new IssueLog();
  reportHeader(log, labels, []);
  let bytes = 0;

  async function* rows(): AsyncGenerator<(string | null)[]> {
    let start = 0;
    let yielded = 0;
    for (const group of metadata.row_groups) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      const end = start + Number(group.num_rows);
      let groupRows: unknown[][] = [];
      try {
        await parquetRead({
          file: buffer,
          metadata: readMetadata,
          rowStart: start,
          rowEnd: end,
          parsers: PARSERS,
          // Byte arrays stay bytes: a BYTE_ARRAY decimal is its unscaled integer, not text. Text
          // columns are decoded below as hyparquet would (and annotated STRING ones by hyparquet).
          utf8: false,
          onComplete: (r) => {
            groupRows = r;
          },
        });
      } catch (err) {
        throw new LoadError(
          'datastore.bad_parquet',
          `A row group of the Parquet file is damaged: ${(err as Error).message}`,
          {
            rowStart: start,
          },
        );
      }
      bytes += Number(group.total_compressed_size ?? group.total_byte_size);
      start = end;
      for (const values of groupRows) {
        if (limits.maxRows !== undefined && yielded >= limits.maxRows) {
          log.add({
            kind: 'row_limit',
            message: `Only the first ${limits.maxRows} rows were read`,
            params: { max: limits.maxRows },
          });
          return;
        }
        yielded++;
        yield values.map((v, i) => formatters[i]!(v));
      }
    }
  }

  return {
    labels,
    titleRows: [],
    issues: log.examples,
    issueCounts: () => Object.fromEntries(log.counts),
    bytesRead: () => bytes,
    rows: rows(),
  };
}

/** Timestamps become ISO text without a zone (Parquet stores them as UTC instants or local wall time). */
const PARSERS = {
  timestampFromMilliseconds: (ms: bigint) => isoFromMicros(ms * 1000n),
  timestampFromMicroseconds: (us: bigint) => isoFromMicros(us),
  timestampFromNanoseconds: (ns: bigint) => isoFromMicros(ns / 1000n),
  dateFromDays: (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10),
  jsonFromBytes: (bytes: Uint8Array) => new TextDecoder().decode(bytes),
};

function isoFromMicros(us: bigint): string {
  const ms = us / 1000n;
  const micros = Number(((us % 1000n) + 1000n) % 1000n);
  const floorMs = us < 0n && micros !== 0 ? ms - 1n : ms;
  const iso = new Date(Number(floorMs)).toISOString().slice(0, 23);
  const fraction = `${iso.slice(20)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
  return fraction ? `${iso.slice(0, 19)}.${fraction}` : iso.slice(0, 19);
}

interface Column {
  name: string;
  element: SchemaElement;
  nested: boolean;
}

/** The top-level fields of the schema; groups (structs, lists, maps) become one JSON column each. */
function topLevelColumns(schema: SchemaElement[]): Column[] {
  const columns: Column[] = [];
  let i = 1;
  while (i < schema.length) {
    const element = schema[i]!;
    columns.push({ name: element.name, element, nested: (element.num_children ?? 0) > 0 });
    i = skipSubtree(schema, i);
  }
  return columns;
}

function skipSubtree(schema: SchemaElement[], at: number): number {
  let next = at + 1;
  for (let c = 0; c < (schema[at]!.num_children ?? 0); c++) next = skipSubtree(schema, next);
  return next;
}

function formatterFor(column: Column): (value: unknown) => string | null {
  const { element } = column;
  if (column.nested) return text;
  if (isDecimal(element)) {
    const scale = decimalScale(element);
    return (v) => {
      const n = unscaled(v);
      return n === undefined ? text(v) : decimalText(n, scale);
    };
  }
  if (element.type === 'BYTE_ARRAY') {
    return (v) => (v instanceof Uint8Array ? utf8.decode(v) : text(v));
  }
  if (element.type === 'FLOAT') {
    // A float32 widened to a double shows noise (0.1 → 0.10000000149011612): write the shortest
    // decimal that reads back as the same float32.
    return (v) => (typeof v === 'number' && Number.isFinite(v) ? shortestFloat32(v) : text(v));
  }
  return text;
}

function shortestFloat32(value: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return plainDecimal(candidate);
  }
  return plainDecimal(Number(value.toPrecision(9)));
}

const utf8 = new TextDecoder();

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? plainDecimal(value) : String(value);
    case 'boolean':
      return String(value);
    default:
      if (value instanceof Date) return value.toISOString().slice(0, 19);
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return JSON.stringify(value, (_k, v: unknown) =>
        typeof v === 'bigint'
          ? (JSON as unknown as { rawJSON(t: string): unknown }).rawJSON(v.toString())
          : // Unannotated byte arrays inside a group are text, as hyparquet decodes them with utf8 on.
            v instanceof Uint8Array
            ? utf8.decode(v)
            : v,
      );
  }
}
