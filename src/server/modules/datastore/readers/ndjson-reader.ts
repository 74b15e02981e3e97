import { truncateUtf8 } from './encoding.ts';
import { LoadError, tooManyColumns } from './errors.ts';
import { IssueLog, reportHeader } from './issues.ts';
import { decodedText, fileEncoding } from './json-reader.ts';
import { RowNumbers } from './row-numbers.ts';
import type { ReaderLimits, RowReader } from './types.ts';

type Parsed =
  | { ok: true; fields: Map<string, string | null>; truncated: string[] }
  | { ok: false; reason: string };

/** Rows of newline-delimited JSON (one object per line), read in two passes; bad lines are skipped and reported. */
export async function openNdjsonRows(
  file: string,
  opts: { limits: ReaderLimits; signal?: AbortSignal },
): Promise<RowReader> {
  const { limits } = opts;
  const encoding = await fileEncoding(file);
  const keys = new Set<string>();
  let objects = 0;
  for await (const { parsed } of lines(file, encoding, limits, opts.signal)) {
    if (!parsed.ok) continue;
    objects++;
    for (const key of parsed.fields.keys()) {
      if (keys.has(key)) continue;
      keys.add(key);
      if (keys.size > limits.maxColumns) throw tooManyColumns(keys.size, limits.maxColumns, true);
    }
  }
  if (objects === 0) throw new LoadError('datastore.no_rows', 'No line of the file holds a JSON object');
  const labels = [...keys];
  const log = new IssueLog();
  reportHeader(log, labels, []);
  const progress = { bytes: 0 };
  const numbers = new RowNumbers();

  async function* rows(): AsyncGenerator<(string | null)[]> {
    let yielded = 0;
    for await (const { parsed, line, text } of lines(file, encoding, limits, opts.signal, progress)) {
      if (!parsed.ok) {
        log.add({
          kind: 'invalid_json_line',
          row: line,
          message: `Line ${line} was skipped: ${parsed.reason}`,
          params: { line, reason: parsed.reason },
          sample: text,
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
      for (const column of parsed.truncated) {
        log.add({
          kind: 'truncated_field',
          row: line,
          column,
          message: `A value longer than ${limits.maxFieldBytes} bytes was truncated`,
          params: { bytes: limits.maxFieldBytes },
        });
      }
      yielded++;
      numbers.note(yielded, line);
      yield labels.map((key) => parsed.fields.get(key) ?? null);
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

async function* lines(
  file: string,
  encoding: Awaited<ReturnType<typeof fileEncoding>>,
  limits: ReaderLimits,
  signal?: AbortSignal,
  progress?: { bytes: number },
): AsyncGenerator<{ parsed: Parsed; line: number; text: string }> {
  let pending = '';
  let skipping = false;
  let line = 0;
  for await (const chunk of decodedText(file, encoding, signal, progress)) {
    let start = 0;
    let text = pending + chunk;
    pending = '';
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      line++;
      const body = text.slice(start, nl);
      start = nl + 1;
      if (skipping) {
        skipping = false;
        yield { parsed: { ok: false, reason: `longer than ${maxLine(limits)} characters` }, line, text: '' };
        continue;
      }
      if (body.trim() !== '') yield { parsed: parseLine(body, limits), line, text: body.slice(0, 200) };
    }
    text = text.slice(start);
    // A line that never ends would otherwise be held whole: drop it once it passes the limit.
    if (skipping || text.length > maxLine(limits)) skipping = true;
    else pending = text;
  }
  if (skipping)
    yield {
      parsed: { ok: false, reason: `longer than ${maxLine(limits)} characters` },
      line: line + 1,
      text: '',
    };
  else if (pending.trim() !== '')
    yield { parsed: parseLine(pending, limits), line: line + 1, text: pending.slice(0, 200) };
}

/** A line holds several fields, so it may be a few times longer than one field. */
const maxLine = (limits: ReaderLimits) => limits.maxFieldBytes * 4;

/** Numbers keep their source text (JSON.rawJSON), so 12345678901234567890 and 0.10 arrive unchanged. */
const keepNumberText = (_key: string, value: unknown, context?: { source?: string }) =>
  typeof value === 'number' && context?.source !== undefined ? rawJSON(context.source) : value;

const rawJSON = (JSON as unknown as { rawJSON(text: string): object }).rawJSON;
const isRawJSON = (JSON as unknown as { isRawJSON(value: unknown): boolean }).isRawJSON;

function parseLine(body: string, limits: ReaderLimits): Parsed {
  const depth = nestingDepth(body);
  if (depth > limits.maxJsonDepth)
    return { ok: false, reason: `nested deeper than ${limits.maxJsonDepth} levels` };
  let value: unknown;
  try {
    value = JSON.parse(body, keepNumberText as (key: string, value: unknown) => unknown);
  } catch (err) {
    return { ok: false, reason: `not valid JSON (${(err as Error).message})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isRawJSON(value)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const fields = new Map<string, string | null>();
  const truncated: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const text = toText(v);
    const cut = text === null ? undefined : truncateUtf8(text, limits.maxFieldBytes);
    if (cut !== undefined) truncated.push(key);
    fields.set(key, cut ?? text);
  }
  return { ok: true, fields, truncated };
}

function toText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (isRawJSON(value)) return (value as { rawJSON: string }).rawJSON;
  return JSON.stringify(value);
}

/** Bracket depth outside strings, checked before parsing so that hostile nesting costs nothing. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}
