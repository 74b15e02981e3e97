import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { parser } from 'stream-json';
import { ChunkDecoder, type DetectedEncoding, detectEncoding } from './encoding.ts';
import { LoadError, tooManyColumns } from './errors.ts';
import { IssueLog, reportHeader } from './issues.ts';
import { JsonRecordWalker, type WalkedRecord } from './json-walker.ts';
import { RowNumbers } from './row-numbers.ts';
import type { ReaderLimits, RowReader } from './types.ts';

type Token = parser.Token;

/** Rows of a JSON array of objects (or of a GeoJSON FeatureCollection), read in two streaming passes. */
export async function openJsonRows(
  file: string,
  opts: { geojson: boolean; limits: ReaderLimits; signal?: AbortSignal },
): Promise<RowReader> {
  const { limits, geojson } = opts;
  const encoding = await fileEncoding(file);
  // Pass one finds the columns: the union of keys in first-seen order.
  const keys = new Set<string>();
  let objects = 0;
  let others = 0;
  let hasPoint = false;
  for await (const record of walk(file, encoding, geojson, limits, opts.signal)) {
    if (record.kind === 'other') {
      others++;
      continue;
    }
    objects++;
    for (const key of record.fields.keys()) {
      if (keys.has(key)) continue;
      keys.add(key);
      if (keys.size > limits.maxColumns) throw tooManyColumns(keys.size, limits.maxColumns, true);
    }
    if (geojson && record.geometry && pointCoordinates(record.geometry)) hasPoint = true;
  }
  if (objects === 0) {
    throw new LoadError(
      'datastore.no_rows',
      geojson
        ? 'The GeoJSON file has no features'
        : others
          ? 'The JSON file holds no objects to load as rows'
          : 'The JSON file holds no array of objects',
      { nonObjects: others },
    );
  }
  const properties = [...keys];
  const labels = geojson
    ? [...properties, 'geometry', ...(hasPoint ? ['longitude', 'latitude'] : [])]
    : properties;
  if (labels.length > limits.maxColumns) throw tooManyColumns(labels.length, limits.maxColumns);
  const log = new IssueLog();
  reportHeader(log, labels, []);
  const progress = { bytes: 0 };
  const numbers = new RowNumbers();

  async function* rows(): AsyncGenerator<(string | null)[]> {
    let row = 0;
    let yielded = 0;
    for await (const record of walk(file, encoding, geojson, limits, opts.signal, progress, log)) {
      row++;
      if (record.kind === 'other') {
        log.add({
          kind: 'not_an_object',
          row,
          message: `Element ${row} of the array is not an object; it was skipped`,
          params: { variant: 'element', index: row },
          sample: record.sample,
        });
        continue;
      }
      if (limits.maxRows !== undefined && yielded >= limits.maxRows) {
        log.add({
          kind: 'row_limit',
          message: `Only the first ${limits.maxRows} rows were read`,
          params: { max: limits.maxRows },
        });
        return;
      }
      const values = properties.map((key) => record.fields.get(key) ?? null);
      if (geojson) {
        values.push(record.geometry ?? null);
        if (hasPoint) values.push(...(pointCoordinates(record.geometry ?? null) ?? [null, null]));
      }
      yielded++;
      numbers.note(yielded, row);
      yield values;
    }
  }

  return {
    labels,
    encoding: encoding.encoding,
    titleRows: [],
    issues: log.examples,
    issueCounts: () => Object.fromEntries(log.counts),
    bytesRead: () => progress.bytes,
    recordOf: (n) => numbers.dataRowOf(n),
    rows: rows(),
  };
}

/** The encoding of a text file, from its first 64 KB. */
export async function fileEncoding(file: string): Promise<DetectedEncoding> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === 0) throw new LoadError('datastore.empty_file', 'The file is empty');
    return detectEncoding(head.subarray(0, bytesRead), bytesRead < head.length);
  } finally {
    await handle.close();
  }
}

/** Decoded text of a file, chunk by chunk, counting the bytes read. */
export async function* decodedText(
  file: string,
  encoding: DetectedEncoding,
  signal?: AbortSignal,
  progress?: { bytes: number },
  onRepairedLine?: (line: number, text: string) => void,
): AsyncGenerator<string> {
  const decoder = new ChunkDecoder(encoding.encoding, encoding.bomBytes, onRepairedLine);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20, signal })) {
    if (progress) progress.bytes += (chunk as Buffer).length;
    const text = decoder.write(chunk as Buffer);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

async function* walk(
  file: string,
  encoding: DetectedEncoding,
  geojson: boolean,
  limits: ReaderLimits,
  signal?: AbortSignal,
  progress?: { bytes: number },
  log?: IssueLog,
): AsyncGenerator<WalkedRecord> {
  const tokens = parser.asStream({
    packValues: true,
    streamValues: false,
    maxDepth: limits.maxJsonDepth,
    maxPackedLength: limits.maxFieldBytes,
  });
  let sourceError: Error | undefined;
  pipeline(decodedText(file, encoding, signal, progress), tokens, (err) => {
    if (err) sourceError = err;
  });
  const walker = new JsonRecordWalker(geojson, limits.maxFieldBytes);
  const out: WalkedRecord[] = [];
  let truncated = 0;
  try {
    for await (const token of tokens) {
      walker.push(token as Token, out);
      if (out.length) yield* out.splice(0);
      if (log && walker.truncated > truncated) {
        truncated = walker.truncated;
        log.add({
          kind: 'truncated_field',
          message: `A nested value longer than ${limits.maxFieldBytes} bytes was truncated`,
          params: { variant: 'nested', bytes: limits.maxFieldBytes },
        });
      }
    }
  } catch (err) {
    throw badJson(sourceError ?? err, limits);
  }
  if (sourceError) throw badJson(sourceError, limits);
  yield* out;
}

function badJson(err: unknown, limits: ReaderLimits): unknown {
  if (err instanceof LoadError || (err instanceof Error && err.name === 'AbortError')) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof RangeError && /depth/i.test(message)) {
    return new LoadError(
      'datastore.bad_json',
      `The JSON is nested deeper than ${limits.maxJsonDepth} levels`,
      {
        maxDepth: limits.maxJsonDepth,
      },
    );
  }
  return new LoadError('datastore.bad_json', `The file is not valid JSON: ${message}`, { reason: message });
}

const COORDINATES = /"coordinates":\[(-?[\d.eE+-]+),(-?[\d.eE+-]+)[,\]]/;

/** Longitude and latitude of a Point geometry, exactly as written in the file. */
function pointCoordinates(geometry: string | null): [string, string] | undefined {
  // A Point's text is short; anything long is a line or polygon and not worth parsing.
  if (!geometry || geometry.length > 1000) return undefined;
  try {
    if ((JSON.parse(geometry) as { type?: unknown }).type !== 'Point') return undefined;
  } catch {
    return undefined;
  }
  const match = COORDINATES.exec(geometry);
  return match ? [match[1]!, match[2]!] : undefined;
}
