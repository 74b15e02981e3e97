import { Readable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { copyOptionsFor } from './copy-text.ts';
import { detectFormat } from './detect-format.ts';
import { decodeToUtf8 } from './encoding.ts';
import { LoadError } from './errors.ts';
import { sniffDelimited } from './sniff.ts';
import { gb18030, zip } from './test-support.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof LoadError) return err.code;
    throw err;
  }
  return undefined;
}

describe('detectFormat', () => {
  it('trusts magic bytes over extensions', () => {
    expect(detectFormat('upload.bin', zip([{ name: 'a', data: 'b' }]))).toBe('xlsx');
    expect(detectFormat('data', Buffer.from('PAR1\0\0'))).toBe('parquet');
    expect(detectFormat('data.csv', Buffer.from('[{"a":1}]'))).toBe('json');
    expect(codeOf(() => detectFormat('data.xlsx', Buffer.from('a,b\n1,2\n')))).toBe('datastore.bad_xlsx');
    expect(codeOf(() => detectFormat('old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0])))).toBe(
      'datastore.unsupported_format',
    );
    expect(codeOf(() => detectFormat('x.dat', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2])))).toBe(
      'datastore.unsupported_format',
    );
  });

  it('tells JSON, NDJSON and GeoJSON apart', () => {
    expect(detectFormat('a.json', Buffer.from('[{"a":1}]'))).toBe('json');
    expect(detectFormat('a.json', Buffer.from('{"a":1}\n{"a":2}\n'))).toBe('ndjson');
    expect(detectFormat('a.json', Buffer.from('{"type":"FeatureCollection","features":[]}'))).toBe('geojson');
    expect(detectFormat('a.jsonl', Buffer.from('{"a":1}\n'))).toBe('ndjson');
    expect(detectFormat('a.geojson', Buffer.from('{"features":[]}'))).toBe('geojson');
    expect(detectFormat('a.json', Buffer.from('\uFEFF {\n "data": [\n {"a": 1}\n ]\n}'))).toBe('json');
  });

  it('reads .txt and unnamed text as delimited, tab-separated when it is', () => {
    expect(detectFormat('名录.txt', gb18030('名称\t地址\n岚山\t东港\n'))).toBe('tsv');
    expect(detectFormat('export', Buffer.from('a;b\n1;2\n'))).toBe('csv');
    expect(detectFormat('a.tsv', Buffer.from('a\tb\n'))).toBe('tsv');
  });

  it('rejects empty and binary files', () => {
    expect(codeOf(() => detectFormat('a.csv', Buffer.alloc(0)))).toBe('datastore.empty_file');
    expect(codeOf(() => detectFormat('a.csv', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0])))).toBe(
      'datastore.binary_file',
    );
    expect(codeOf(() => detectFormat('a.pdf', Buffer.from('%PDF-1.7\n')))).toBe('datastore.binary_file');
    expect(codeOf(() => detectFormat('a.zip', zip([{ name: 'a.csv', data: 'x' }])))).toBe(
      'datastore.unsupported_format',
    );
  });
});

describe('decodeToUtf8', () => {
  it('keeps characters whole however the bytes are split', async () => {
    const text = '名称,值\n岚山市,1\n';
    for (const [encoding, bytes] of [
      ['gb18030', gb18030(text)],
      ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])],
      ['utf-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    ] as const) {
      const bom = encoding === 'gb18030' ? 0 : encoding === 'utf-16le' ? 2 : 3;
      for (let cut = 1; cut < bytes.length; cut++) {
        const out: Buffer[] = [];
        for await (const chunk of Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]).pipe(
          decodeToUtf8(encoding, bom),
        )) {
          out.push(chunk as Buffer);
        }
        expect(Buffer.concat(out).toString('utf8')).toBe(text);
      }
    }
  });
});

describe('the fast path on PGlite', () => {
  it('loads GB18030 decoded in Node with the options copyOptionsFor gives, from dataOffset', async () => {
    const file = gb18030('岚山市企业名录\r\n企业名称,地址\r\n岚山钢铁,"东港区, 滨海路"\r\n青川茶业,\r\n');
    const sniffed = sniffDelimited(file, { isLastChunk: true });
    const { sqlOptions, needsNodeDecode } = copyOptionsFor(sniffed, 'pglite');
    expect(needsNodeDecode).toBe(true);
    const parts: Buffer[] = [];
    for await (const chunk of Readable.from([file.subarray(sniffed.dataOffset)]).pipe(
      decodeToUtf8(sniffed.encoding, 0),
    )) {
      parts.push(chunk as Buffer);
    }
    const db = new PGlite();
    try {
      await db.exec('CREATE TABLE staging (c1 text, c2 text)');
      await db.query(`COPY staging (c1, c2) FROM '/dev/blob' WITH (${sqlOptions})`, [], {
        blob: new Blob([new Uint8Array(Buffer.concat(parts))]),
      });
      const { rows } = await db.query<{ c1: string; c2: string | null }>(
        'SELECT c1, c2 FROM staging ORDER BY c1',
      );
      expect(rows).toEqual([
        { c1: '岚山钢铁', c2: '东港区, 滨海路' },
        { c1: '青川茶业', c2: null },
      ]);
    } finally {
      await db.close();
    }
  });
});
