import type { parser } from 'stream-json';

type Token = parser.Token;

/** One element of the record array: its fields as text, or a note that it was not an object. */
export type WalkedRecord =
  | { kind: 'object'; fields: Map<string, string | null>; geometry?: string | null }
  | { kind: 'other'; sample: string };

interface Frame {
  first: boolean;
  afterKey: boolean;
}

/**
 * Turns a JSON token stream into flat records without building whole documents: the records are the
 * elements of the top-level array (or of the first array property of a top-level object, or of
 * "features" for GeoJSON). Nested values become JSON text built from the raw tokens, so numbers keep
 * every digit. In GeoJSON mode a Feature's "properties" are the fields and its geometry is kept aside.
 */
export class JsonRecordWalker {
  private depth = 0;
  private recordArrayDepth = -1;
  private done = false;
  private lastKey: string | undefined;
  private fields = new Map<string, string | null>();
  private geometry: string | null | undefined;
  private propsDepth = -1;
  private capture: string[] | undefined;
  private captureLength = 0;
  private captureTarget: 'field' | 'geometry' | 'other' = 'field';
  private captureKey = '';
  private stack: Frame[] = [];
  truncated = 0;

  constructor(
    private readonly geojson: boolean,
    private readonly maxFieldBytes: number,
  ) {}

  /** Feeds one token; a finished record is pushed to `out`. */
  push(token: Token, out: WalkedRecord[]): void {
    if (this.done || token.name === 'whitespace') return;
    if (this.capture) {
      this.captureToken(token, out);
      return;
    }
    const opens = token.name === 'startObject' || token.name === 'startArray';
    const closes = token.name === 'endObject' || token.name === 'endArray';
    const recordDepth = this.recordArrayDepth + 1;

    if (this.recordArrayDepth < 0) {
      // Looking for the record array.
      if (token.name === 'keyValue') this.lastKey = token.value;
      if (token.name === 'startArray') {
        const wanted = this.geojson ? this.depth === 1 && this.lastKey === 'features' : this.depth <= 1;
        if (wanted) this.recordArrayDepth = this.depth + 1;
      }
      if (opens) this.depth++;
      if (closes) this.depth--;
      return;
    }
    if (this.depth === this.recordArrayDepth) {
      if (token.name === 'endArray') {
        this.done = true;
      } else if (token.name === 'startObject') {
        this.depth++;
        this.fields = new Map();
        this.geometry = undefined;
      } else {
        this.startCapture('other', '', token, out);
      }
      return;
    }
    const inProps = this.propsDepth >= 0;
    const fieldDepth = inProps ? this.propsDepth : recordDepth;
    if (token.name === 'keyValue') {
      this.lastKey = token.value;
      return;
    }
    if (token.name === 'endObject' && this.depth === fieldDepth) {
      this.depth--;
      if (inProps) this.propsDepth = -1;
      else out.push({ kind: 'object', fields: this.fields, geometry: this.geometry });
      return;
    }
    const key = this.lastKey ?? '';
    if (this.geojson && !inProps) {
      // Feature level: only "properties" and "geometry" matter.
      if (key === 'properties' && token.name === 'startObject') {
        this.depth++;
        this.propsDepth = this.depth;
      } else if (key === 'geometry') {
        if (opens) this.startCapture('geometry', key, token, out);
        else this.geometry = null;
      } else if (opens) this.startCapture('other', key, token, out, true);
      return;
    }
    if (opens) this.startCapture('field', key, token, out);
    else this.fields.set(key, scalar(token));
  }

  private startCapture(
    target: 'field' | 'geometry' | 'other',
    key: string,
    token: Token,
    out: WalkedRecord[],
    discard = false,
  ): void {
    this.captureTarget = target;
    this.captureKey = key;
    this.capture = [];
    this.captureLength = 0;
    this.stack = [];
    this.discard = discard;
    this.captureToken(token, out);
  }

  private discard = false;

  private append(text: string): void {
    if (this.discard) return;
    if (this.captureLength + text.length > this.maxFieldBytes) {
      if (this.captureLength <= this.maxFieldBytes) this.truncated++;
      this.captureLength = this.maxFieldBytes + 1;
      return;
    }
    this.capture!.push(text);
    this.captureLength += text.length;
  }

  private separator(): void {
    const top = this.stack.at(-1);
    if (!top) return;
    if (top.afterKey) top.afterKey = false;
    else if (top.first) top.first = false;
    else this.append(',');
  }

  private captureToken(token: Token, out: WalkedRecord[]): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray':
        this.separator();
        this.append(token.name === 'startObject' ? '{' : '[');
        this.stack.push({ first: true, afterKey: false });
        return;
      case 'endObject':
      case 'endArray':
        this.stack.pop();
        this.append(token.name === 'endObject' ? '}' : ']');
        if (this.stack.length === 0) this.finishCapture(out);
        return;
      case 'keyValue': {
        const top = this.stack.at(-1)!;
        if (!top.first) this.append(',');
        top.first = false;
        this.append(`${JSON.stringify(token.value)}:`);
        top.afterKey = true;
        return;
      }
      case 'stringValue':
      case 'numberValue':
      case 'trueValue':
      case 'falseValue':
      case 'nullValue':
        this.separator();
        this.append(token.name === 'stringValue' ? JSON.stringify(token.value) : String(token.value));
        if (this.stack.length === 0) this.finishCapture(out);
        return;
      default:
        return;
    }
  }

  private finishCapture(out: WalkedRecord[]): void {
    const text = this.capture!.join('');
    this.capture = undefined;
    if (this.captureTarget === 'other') {
      // A non-object element of the record array.
      if (!this.discard) out.push({ kind: 'other', sample: text.slice(0, 200) });
      return;
    }
    if (this.captureTarget === 'geometry') this.geometry = text;
    else this.fields.set(this.captureKey, text);
  }
}

function scalar(token: Token): string | null {
  switch (token.name) {
    case 'stringValue':
    case 'numberValue':
      return token.value;
    case 'trueValue':
      return 'true';
    case 'falseValue':
      return 'false';
    default:
      return null;
  }
}
