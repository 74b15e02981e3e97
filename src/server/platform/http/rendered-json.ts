import { randomUUID } from 'node:crypto';

// JSON rendered once and placed as it is into many answers: a value held as its UTF-8 text, which
// jsonBytes splices into the text of the answer around it. An answer of ten CKAN package
// dictionaries spends more time building, serialising and encoding them than searching; kept
// rendered, each costs a copy of its bytes.

// Stands in for a rendered value while the answer around it is serialised. The NUL (escaped by
// JSON.stringify) and the process's random id keep any text a value could hold from looking like it.
const MARK = `\u0000rendered-json-${randomUUID()}`;
const QUOTED_MARK = JSON.stringify(MARK);

/** The parts of the answer being serialised by jsonBytes (it is synchronous: one at a time). */
let collecting: Buffer[] | undefined;

export class RenderedJson {
  /** `bytes`: the UTF-8 text of one JSON value. */
  constructor(readonly bytes: Buffer) {}

  static of(value: unknown): RenderedJson {
    return new RenderedJson(Buffer.from(JSON.stringify(value)));
  }

  /** Inside jsonBytes a mark; anywhere else (a log line, a cache), the value itself. */
  toJSON(): unknown {
    if (!collecting) return JSON.parse(this.bytes.toString('utf8'));
    collecting.push(this.bytes);
    return MARK;
  }
}

/** The UTF-8 JSON text of `value`, with every RenderedJson in it spliced in as it was rendered. */
export function jsonBytes(value: unknown): Buffer {
  const parts: Buffer[] = [];
  collecting = parts;
  let text: string;
  try {
    text = JSON.stringify(value);
  } finally {
    collecting = undefined;
  }
  if (parts.length === 0) return Buffer.from(text);
  const out: Buffer[] = [];
  let at = 0;
  for (const part of parts) {
    const mark = text.indexOf(QUOTED_MARK, at);
    out.push(Buffer.from(text.slice(at, mark)), part);
    at = mark + QUOTED_MARK.length;
  }
  out.push(Buffer.from(text.slice(at)));
  return Buffer.concat(out);
}
