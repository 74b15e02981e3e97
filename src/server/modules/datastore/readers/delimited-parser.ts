import { truncateUtf8 } from './encoding.ts';
import type { IssueParams, LoadIssueKind } from './types.ts';

export interface Repair {
  kind: LoadIssueKind;
  /** 0-based field index. */
  field: number;
  params?: IssueParams;
  message: string;
  sample?: string;
}

export interface ParsedRecord {
  /** null for an unquoted empty field, as PostgreSQL's COPY csv reads it. */
  fields: (string | null)[];
  /** Offset of the record in the text pushed so far (UTF-16 code units). */
  start: number;
  /** Offset just past the record's line end. */
  end: number;
  terminator: '' | '\n' | '\r\n' | '\r';
  repairs?: Repair[];
}

export interface ParserLimits {
  maxFieldBytes: number;
  maxQuotedLines: number;
}

const LF = 10;
const CR = 13;

/**
 * A streaming CSV tokenizer that repairs instead of failing: an opening quote that is never closed
 * (or whose "closing" quote is followed by text) is taken literally and the record ends at the end of
 * its line, so one broken quote costs one row, not the rest of the file. Fields beyond the byte limit
 * are truncated. CR, LF and CRLF are all line ends, mixed freely.
 */
export class DelimitedParser {
  // Text not yet consumed starts at absolute offset `base`; every other position below is absolute.
  private buf = '';
  private base = 0;
  private recStart = 0;
  private pos = 0;
  private fields: (string | null)[] = [];
  private repairs: Repair[] = [];
  private expectSeparator = false;
  private literalQuoteAt = -1;
  private discarding = false;
  // Where scanning of the field starting at `pos` resumes when more text arrives.
  private resumeAt = -1;
  private quotedLines = 0;
  private readonly d: number;
  private readonly q: number;

  constructor(
    delimiter: string,
    private readonly quote: string,
    private readonly limits: ParserLimits,
  ) {
    this.d = delimiter.charCodeAt(0);
    this.q = quote.charCodeAt(0);
  }

  /** Parses more text; complete records are appended to `out`. */
  push(text: string, out: ParsedRecord[]): void {
    this.buf = this.buf.length ? this.buf + text : text;
    this.run(false, out);
    // Only the current field is ever re-read (to undo a quote), so everything before it can go.
    const keep = this.pos - this.base;
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.base = this.pos;
    }
  }

  /** Parses what is left at the end of the input. */
  end(out: ParsedRecord[]): void {
    this.run(true, out);
    this.base += this.buf.length;
    this.buf = '';
  }

  /** Fields of the record still incomplete at the end of the text pushed so far. */
  pendingFieldCount(): number {
    return this.fields.length + 1;
  }

  private run(final: boolean, out: ParsedRecord[]): void {
    const buf = this.buf;
    const base = this.base;
    const n = buf.length;
    const { d, q } = this;
    let p = this.pos - base;
    for (;;) {
      if (this.expectSeparator) {
        if (p >= n) {
          if (final) this.emit(out, base + p, '');
          break;
        }
        const c = buf.charCodeAt(p);
        if (c === d) {
          this.expectSeparator = false;
          p++;
          if (p >= n && final) {
            this.fields.push(null);
            this.emit(out, base + p, '');
            break;
          }
          continue;
        }
        if (c === CR) {
          if (p + 1 >= n && !final) break;
          const crlf = buf.charCodeAt(p + 1) === LF;
          p += crlf ? 2 : 1;
          this.emit(out, base + p, crlf ? '\r\n' : '\r');
          continue;
        }
        if (c === LF) {
          p++;
          this.emit(out, base + p, '\n');
          continue;
        }
        // Only reachable after a truncated field: skip the rest of it.
        this.discarding = true;
        this.expectSeparator = false;
      }
      if (p >= n) {
        if (final && (base + p > this.recStart || this.fields.length > 0)) {
          this.fields.push(null);
          this.emit(out, base + p, '');
        }
        break;
      }
      if (this.discarding) {
        const k = this.scanUnquoted(p);
        p = k;
        if (k >= n && !final) break;
        this.discarding = false;
        this.expectSeparator = true;
        continue;
      }
      if (buf.charCodeAt(p) === q && base + p !== this.literalQuoteAt) {
        const close = this.findClosingQuote(p, final);
        if (close === -2) break; // need more text
        if (close < 0) {
          this.unbalanced(
            p,
            'never_closed',
            'The quote opened here is never closed; it was read as a literal character',
          );
          continue;
        }
        const next = close + 1;
        const nc = next < n ? buf.charCodeAt(next) : -1;
        if (nc === -1 || nc === d || nc === LF || nc === CR) {
          const raw = buf.slice(p + 1, close);
          this.pushField(
            raw.includes(this.quote) ? raw.replaceAll(this.quote + this.quote, this.quote) : raw,
          );
          p = next;
          this.expectSeparator = true;
          continue;
        }
        this.unbalanced(
          p,
          'text_after',
          'A quoted value is followed by more text; its quotes were read as literal characters',
        );
        continue;
      }
      const from = this.resumeAt > base + p ? this.resumeAt - base : p;
      const k = this.scanUnquoted(from);
      if (k >= n && !final) {
        this.resumeAt = base + k;
        if (k - p > this.limits.maxFieldBytes) {
          this.pushField(buf.slice(p, k));
          this.discarding = true;
          p = k;
        }
        break;
      }
      this.pushField(k === p ? null : buf.slice(p, k));
      p = k;
      this.expectSeparator = true;
    }
    this.pos = base + p;
  }

  private scanUnquoted(from: number): number {
    const buf = this.buf;
    const n = buf.length;
    const { d } = this;
    let k = from;
    while (k < n) {
      const c = buf.charCodeAt(k);
      if (c === d || c === LF || c === CR) break;
      k++;
    }
    return k;
  }

  /** Index of the quote closing the field opened at `open`; -1 if it cannot be closed, -2 if more text is needed. */
  private findClosingQuote(open: number, final: boolean): number {
    const buf = this.buf;
    const n = buf.length;
    const resumed = this.resumeAt > this.base + open;
    if (!resumed) this.quotedLines = 0;
    let j = resumed ? this.resumeAt - this.base : open + 1;
    const scanFrom = j;
    for (;;) {
      const k = buf.indexOf(this.quote, j);
      if (k < 0) {
        j = n;
        break;
      }
      if (k + 1 < n && buf.charCodeAt(k + 1) === this.q) {
        j = k + 2;
        continue;
      }
      if (k + 1 >= n && !final) {
        j = k;
        break;
      }
      this.resumeAt = -1;
      return k;
    }
    this.resumeAt = -1;
    if (final) return -1;
    for (let i = buf.indexOf('\n', scanFrom); i >= 0 && i < j; i = buf.indexOf('\n', i + 1))
      this.quotedLines++;
    if (n - open > this.limits.maxFieldBytes || this.quotedLines > this.limits.maxQuotedLines) return -1;
    this.resumeAt = this.base + j;
    return -2;
  }

  private unbalanced(open: number, variant: string, message: string): void {
    this.literalQuoteAt = this.base + open;
    this.resumeAt = -1;
    this.repairs.push({
      kind: 'unbalanced_quote',
      field: this.fields.length,
      message,
      params: { variant },
      sample: this.buf.slice(open, open + 200).split(/\r\n|\r|\n/)[0],
    });
  }

  private pushField(value: string | null): void {
    this.resumeAt = -1;
    const cut = value === null ? undefined : truncateUtf8(value, this.limits.maxFieldBytes);
    if (cut !== undefined) {
      this.repairs.push({
        kind: 'truncated_field',
        field: this.fields.length,
        message: `A value longer than ${this.limits.maxFieldBytes} bytes was truncated`,
        params: { bytes: this.limits.maxFieldBytes },
        sample: cut.slice(0, 50),
      });
      value = cut;
    }
    this.fields.push(value);
  }

  private emit(out: ParsedRecord[], next: number, terminator: ParsedRecord['terminator']): void {
    const record: ParsedRecord = { fields: this.fields, start: this.recStart, end: next, terminator };
    if (this.repairs.length) record.repairs = this.repairs;
    out.push(record);
    this.fields = [];
    this.repairs = [];
    this.expectSeparator = false;
    this.literalQuoteAt = -1;
    this.discarding = false;
    this.recStart = next;
  }
}
