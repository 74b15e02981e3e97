import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recomputedHash } from './audit-chain-walk.ts';
import { CopyChainParser, type EntryVisitor, storedFieldsOfCopy } from './audit-copy-rows.ts';
import { CopyTextError, forEachCopyRow, unescapeCopyText } from './audit-copy-text.ts';
import { GENESIS_HASH, type StoredFields, storedBody } from './audit-hash.ts';

// The verifier reads the chain as PostgreSQL's COPY text. These tests hold its decoding to what
// COPY TO writes, and its fast byte path to the string path (the reference) on every kind of row.

/** What PostgreSQL's COPY TO writes for a value in text format (CopyAttributeOutText). */
function copyEscape(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/[\\\b\f\n\r\t\v]/g, (c) => {
    const named: Record<string, string> = {
      '\b': 'b',
      '\f': 'f',
      '\n': 'n',
      '\r': 'r',
      '\t': 't',
      '\v': 'v',
    };
    return `\\${named[c] ?? c}`;
  });
}

/** Characters that COPY, JSON or UTF-8 treat specially, mixed with plain ones. */
const trickyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\t', '\n', '\r', '\\', '"', '\b', '\f', '\v', '\u0001', '\u001f', '\u007f', 'N', 'x'),
    fc.constantFrom('中', '文', '😀', '\u2028', 'é', ' '),
    fc.string({ unit: 'binary-ascii', maxLength: 1 }),
  ),
});

describe('COPY text unescaping', () => {
  it('reads \\N as null, and a value without backslashes as it is', () => {
    expect(unescapeCopyText('\\N')).toBeNull();
    expect(unescapeCopyText('')).toBe('');
    expect(unescapeCopyText('N')).toBe('N');
    expect(unescapeCopyText('名字 😀 "quoted"')).toBe('名字 😀 "quoted"');
    // control characters other than the six named ones are written raw by COPY TO
    expect(unescapeCopyText('a\u0001b\u001fc\u007f')).toBe('a\u0001b\u001fc\u007f');
  });

  it('undoes the escapes COPY TO writes', () => {
    expect(unescapeCopyText('tab\\there\\nnew\\\\back')).toBe('tab\there\nnew\\back');
    expect(unescapeCopyText('\\b\\f\\n\\r\\t\\v')).toBe('\b\f\n\r\t\v');
    expect(unescapeCopyText('\\\\N')).toBe('\\N'); // a backslash and N, not null
    expect(unescapeCopyText('{"a":"x\\\\"y\\\\n"}')).toBe('{"a":"x\\"y\\n"}'); // JSON escapes survive
    expect(unescapeCopyText('中\\t文')).toBe('中\t文');
  });

  it('reads any other escaped character as itself, and octal and hex escapes as bytes', () => {
    expect(unescapeCopyText('\\a\\.\\"')).toBe('a."');
    expect(unescapeCopyText('\\101\\x42\\x4')).toBe('AB\u0004');
    expect(unescapeCopyText('\\1234')).toBe('S4'); // three octal digits at most
    expect(unescapeCopyText('\\xg')).toBe('xg'); // \x without a hex digit is an x
    // bytes of one multi-byte character, escaped separately, next to escapes of other kinds
    expect(unescapeCopyText('\\344\\270\\255\\t\\xe6\\x96\\x87!')).toBe('中\t文!');
  });

  it('refuses what COPY never writes', () => {
    expect(() => unescapeCopyText('dangling\\')).toThrow(CopyTextError);
    expect(() => unescapeCopyText('\\377')).toThrow(CopyTextError); // not UTF-8
  });

  it('round-trips every string through COPY escaping', () => {
    fc.assert(
      fc.property(fc.option(trickyText, { nil: null }), (value) => {
        expect(unescapeCopyText(copyEscape(value))).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('COPY text rows', () => {
  const rows = (text: string, width: number) => {
    const fields: (string | null)[] = new Array(width).fill(null);
    const out: (string | null)[][] = [];
    forEachCopyRow(text, fields, () => {
      out.push([...fields]);
      return true;
    });
    return out;
  };

  it('splits rows on newlines and columns on tabs, decoding each column', () => {
    expect(rows('1\ta\\tb\t\\N\n2\t\\\\\t中\n', 3)).toEqual([
      ['1', 'a\tb', null],
      ['2', '\\', '中'],
    ]);
    expect(rows('1\t\t\r\n', 3)).toEqual([['1', '', '']]); // \r\n endings, empty columns
  });

  it('stops when the visitor says so', () => {
    const fields: (string | null)[] = [null];
    let seen = 0;
    expect(forEachCopyRow('a\nb\nc\n', fields, () => ++seen < 2)).toBe(false);
    expect(seen).toBe(2);
  });

  it('refuses rows of the wrong width or without their newline', () => {
    expect(() => rows('1\t2\n', 3)).toThrow(CopyTextError);
    expect(() => rows('1\t2\t3\t4\n', 3)).toThrow(CopyTextError);
    expect(() => rows('1\t2\t3', 3)).toThrow(CopyTextError);
  });
});

interface Row {
  seq: number;
  prev: string | null;
  hash: string | null;
  fields: StoredFields;
}

/** A row's columns in the COPY's order (CHAIN_COLUMNS). */
const columnsOf = ({ seq, prev, hash, fields: f }: Row) => [
  String(seq),
  ...[prev, hash, f.action, f.actorId, f.actorLabel, f.atIso, f.departmentId, f.detailsJson],
  ...[f.ip, f.requestId, f.targetId, f.targetType],
];
const copyTextOf = (rows: Row[]) => rows.map((r) => `${columnsOf(r).map(copyEscape).join('\t')}\n`).join('');

/** Plain values (the byte path's) and tricky ones (the string path's). */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('catalog.dataset.update', 'staff.7', '名字 😀', '10.1.2.3', '') },
  trickyText,
);
const nullable = fc.option(text, { nil: null });
const storedFields: fc.Arbitrary<StoredFields> = fc.record({
  atIso: fc.oneof(fc.constant('2026-11-22T09:00:00.123Z'), text),
  actorId: nullable,
  actorLabel: text,
  action: text,
  targetType: nullable,
  targetId: nullable,
  departmentId: nullable,
  detailsJson: fc.oneof(fc.constant('{"from":"旧","to":"新 \\"x\\""}'), text),
  ip: nullable,
  requestId: nullable,
});

/**
 * The body a careless byte path would hash: the column bytes as COPY wrote them, strings quoted but
 * not escaped. A row hashed that way is valid only if nothing in it needs escaping.
 */
const naiveBody = (f: StoredFields) => {
  const q = (v: string | null) => (v === null ? 'null' : `"${copyEscape(v)}"`);
  return (
    `{"action":${q(f.action)},"actorId":${q(f.actorId)},"actorLabel":${q(f.actorLabel)},"at":"${copyEscape(f.atIso)}",` +
    `"departmentId":${q(f.departmentId)},"details":${copyEscape(f.detailsJson)},"ip":${q(f.ip)},` +
    `"requestId":${q(f.requestId)},"targetId":${q(f.targetId)},"targetType":${q(f.targetType)}}`
  );
};

/**
 * A valid chain of these fields, then some rows broken: hash or link replaced, nulled, a gap, or a
 * hash forged to match the careless rendering (which the byte path must not take for the real one).
 */
function chainOf(fields: StoredFields[], breaks: number[]): Row[] {
  let prev: string | null = GENESIS_HASH;
  return fields.map((f, i) => {
    const seq = i + 1 + (breaks[i] === 4 ? 1 : 0);
    const row: Row = { seq, prev, hash: recomputedHash(prev, seq, storedBody(f)), fields: f };
    if (breaks[i] === 1) row.hash = 'f'.repeat(64);
    if (breaks[i] === 2) row.prev = 'e'.repeat(64);
    if (breaks[i] === 3) row.hash = null;
    if (breaks[i] === 5) row.hash = recomputedHash(prev, seq, naiveBody(f));
    prev = row.hash;
    return row;
  });
}

/** What the reference (decode, storedBody, recomputedHash) says of each row. */
const reference = (rows: Row[]) =>
  rows.map((r) => [r.seq, r.prev, r.hash, recomputedHash(r.prev, r.seq, storedBody(r.fields))]);

/** Feeds the bytes to a parser in the given chunks; returns what it visited and the parser. */
function parse(bytes: Buffer, cuts: number[] = [], stopAt = Number.POSITIVE_INFINITY) {
  const seen: unknown[][] = [];
  const visit: EntryVisitor = (...args) => seen.push(args) < stopAt;
  const parser = new CopyChainParser(visit);
  let from = 0;
  let going = true;
  for (const cut of [...cuts.filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    going = parser.push(bytes.subarray(from, Math.max(cut, from)));
    from = Math.max(cut, from);
    if (!going) break;
  }
  if (going) parser.end();
  return { seen, parser, going };
}

const ordinary: StoredFields = {
  atIso: '2026-11-22T09:00:00.123Z',
  actorId: 'c2b6a3f4-1d2e-4f5a-8b9c-0d1e2f3a4b5c',
  actorLabel: 'staff.7',
  action: 'catalog.dataset.update',
  targetType: 'dataset',
  targetId: 'ds-1',
  departmentId: null,
  detailsJson: '{"from":"旧标题","to":"新标题 😀"}',
  ip: '10.1.2.3',
  requestId: null,
};

describe('COPY chain parser', () => {
  it('knows the columns by the order the COPY selects them in', () => {
    fc.assert(
      fc.property(storedFields, (f) => {
        const row = { seq: 1, prev: GENESIS_HASH, hash: 'x', fields: f };
        expect(storedFieldsOfCopy(columnsOf(row))).toEqual(f);
      }),
    );
  });

  it('gives every row, intact or broken, plain or tricky, however chunked, what the reference gives it', () => {
    let byteRows = 0;
    const breaks = fc.array(
      fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 5 })),
    );
    fc.assert(
      fc.property(fc.array(storedFields, { maxLength: 12 }), breaks, fc.array(fc.nat(4000)), (f, b, cuts) => {
        const rows = chainOf(f, b);
        const { seen, parser } = parse(Buffer.from(copyTextOf(rows)), cuts);
        expect(seen).toEqual(reference(rows));
        byteRows += parser.byteRows;
      }),
      { numRuns: 1500 },
    );
    expect(byteRows).toBeGreaterThan(500); // the byte path had its share of the rows
  });

  it('never takes a row whose hash is that of the careless rendering of content that needs escaping', () => {
    const keys = Object.keys(ordinary) as (keyof StoredFields)[];
    fc.assert(
      fc.property(fc.constantFrom(...keys), trickyText, (key, value) => {
        const rows = chainOf([ordinary, { ...ordinary, [key]: value }], [0, 5]);
        expect(parse(Buffer.from(copyTextOf(rows))).seen).toEqual(reference(rows));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the byte path for ordinary rows, and the string path only for rows that need it', () => {
    const plain: StoredFields = {
      atIso: '2026-11-22T09:00:00.123Z',
      actorId: 'c2b6a3f4-1d2e-4f5a-8b9c-0d1e2f3a4b5c',
      actorLabel: 'staff.7',
      action: 'catalog.dataset.update',
      targetType: null,
      targetId: null,
      departmentId: null,
      detailsJson: '{"from":"旧标题 \\"a\\"","to":"新标题"}', // a backslash: escaped by COPY
      ip: '10.1.2.3',
      requestId: null,
    };
    const fields = Array.from({ length: 50 }, (_, i) => ({
      ...plain,
      detailsJson: `{"i":${i},"s":"名字 😀"}`,
    }));
    fields[10] = plain; // an escape in the details
    fields[20] = { ...plain, actorLabel: 'say "hi"' }; // a quote in a JSON string column
    fields[30] = { ...plain, targetId: 'a\tb' }; // a backslash in one
    const rows = chainOf(fields, []);
    const { seen, parser } = parse(Buffer.from(copyTextOf(rows)), [1000, 1001, 5000]);
    expect(seen).toEqual(reference(rows));
    expect(seen.every(([, , hash, recomputed]) => hash === recomputed)).toBe(true);
    expect(parser.byteRows).toBe(47);
  });

  it('stops where the visitor says so', () => {
    const rows = chainOf(
      Array.from({ length: 30 }, () => ({ ...storedFieldsOfCopy(new Array(13).fill('a')) })),
      [],
    );
    const { seen, going } = parse(Buffer.from(copyTextOf(rows)), [700], 5);
    expect(going).toBe(false);
    expect(seen).toHaveLength(5);
  });

  it('decodes bytes that are not UTF-8 as the string path does, and refuses a row cut short', () => {
    const f = storedFieldsOfCopy(new Array(13).fill('a'));
    const bytes = Buffer.from(copyTextOf(chainOf([f, { ...f, actorLabel: 'X' }], [])));
    bytes[bytes.lastIndexOf('X'.charCodeAt(0))] = 0xff;
    const { seen, parser } = parse(bytes);
    const decoded = chainOf([f, { ...f, actorLabel: '\ufffd' }], []);
    expect(seen[1]?.[3]).toBe(reference(decoded)[1]?.[3]);
    expect(parser.byteRows).toBe(0); // the chunk holding such bytes takes the string path whole
    expect(() => parse(bytes.subarray(0, bytes.length - 1))).toThrow(CopyTextError);
  });
});
