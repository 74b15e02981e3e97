import { describe, expect, it } from 'vitest';
import { LoadError } from './errors.ts';
import { sniffDelimited } from './sniff.ts';
import { gb18030 } from './test-support.ts';

const last = { isLastChunk: true };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof LoadError) return err.code;
    throw err;
  }
  return undefined;
}

describe('sniffDelimited', () => {
  it('reads a GB18030 file with Chinese headers and a title row above them', () => {
    const head = gb18030(
      '岚山市2023年企业名录\r\n企业名称,统一社会信用代码,注册资本\r\n岚山钢铁,91371100MA3C,500\r\n',
    );
    const s = sniffDelimited(head, last);
    expect(s).toMatchObject({
      encoding: 'gb18030',
      bomBytes: 0,
      delimiter: ',',
      quote: '"',
      newline: '\r\n',
      titleRows: ['岚山市2023年企业名录'],
      labels: ['企业名称', '统一社会信用代码', '注册资本'],
      columnCount: 3,
    });
    expect(s.headerOffset).toBe(gb18030('岚山市2023年企业名录\r\n').length);
    expect(head.subarray(s.dataOffset).toString('latin1')).toMatch(/^.{8},91371100MA3C,500\r\n$/s);
  });

  it('picks the delimiter whose field counts agree, quote-aware', () => {
    const csv = 'name;note\n"Li; Wei";"a, b, c"\nWang;"x"\n';
    expect(sniffDelimited(Buffer.from(csv), last)).toMatchObject({
      delimiter: ';',
      labels: ['name', 'note'],
    });
    const tsv = 'a\tb\tc\n1\t2,5\t3\n4\t5\t6\n';
    expect(sniffDelimited(Buffer.from(tsv), last)).toMatchObject({ delimiter: '\t', columnCount: 3 });
    const pipe = 'a|b\n1|2\n';
    expect(sniffDelimited(Buffer.from(pipe), last).delimiter).toBe('|');
    expect(sniffDelimited(Buffer.from('only\none\ncolumn\n'), last)).toMatchObject({
      columnCount: 1,
      labels: ['only'],
    });
  });

  it('recognises every BOM and rejects UTF-32', () => {
    const text = 'a,b\n1,2\n';
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(sniffDelimited(utf8, last)).toMatchObject({
      encoding: 'utf-8',
      bomBytes: 3,
      headerOffset: 3,
      dataOffset: 7,
    });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(sniffDelimited(le, last)).toMatchObject({
      encoding: 'utf-16le',
      bomBytes: 2,
      dataOffset: 2 + 8,
      labels: ['a', 'b'],
    });
    const be = Buffer.from(le);
    be.swap16();
    expect(sniffDelimited(be, last)).toMatchObject({ encoding: 'utf-16be', bomBytes: 2, labels: ['a', 'b'] });
    const utf32 = Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), Buffer.from('a\0\0\0')]);
    expect(codeOf(() => sniffDelimited(utf32, last))).toBe('datastore.unsupported_encoding');
  });

  it('detects UTF-16 without a BOM from its NUL bytes', () => {
    const s = sniffDelimited(Buffer.from('姓名,age\n张三,30\n', 'utf16le'), last);
    expect(s).toMatchObject({ encoding: 'utf-16le', bomBytes: 0, labels: ['姓名', 'age'] });
  });

  it('keeps UTF-8 when a multibyte character is cut at the end of the sample', () => {
    const full = Buffer.from(`名称,值\n${'岚山,1\n'.repeat(50)}`);
    const cut = full.subarray(0, full.length - 5); // inside a character of the last line
    expect(sniffDelimited(cut).encoding).toBe('utf-8');
  });

  it('treats a UTF-8 file with one GBK line as UTF-8', () => {
    const head = Buffer.concat([
      Buffer.from('名称,值\n岚山,1\n青川,2\n'),
      gb18030('东港,3\n'),
      Buffer.from('西岭,4\n'),
    ]);
    expect(sniffDelimited(head, last).encoding).toBe('utf-8');
  });

  it('reports each line ending', () => {
    expect(sniffDelimited(Buffer.from('a,b\r1,2\r'), last)).toMatchObject({ newline: '\r', dataOffset: 4 });
    expect(sniffDelimited(Buffer.from('a,b\r\n1,2\r\n'), last)).toMatchObject({
      newline: '\r\n',
      dataOffset: 5,
    });
    expect(sniffDelimited(Buffer.from('a,b\n1,2'), last)).toMatchObject({ newline: '\n', dataOffset: 4 });
  });

  it('gives a trailing delimiter an empty last label', () => {
    const s = sniffDelimited(Buffer.from('a,b,\n1,2,\n3,4,\n'), last);
    expect(s).toMatchObject({ labels: ['a', 'b', ''], columnCount: 3 });
    const widerData = sniffDelimited(Buffer.from('a,b\n1,2,\n3,4,\n'), last);
    expect(widerData).toMatchObject({ labels: ['a', 'b', ''], columnCount: 3 });
  });

  it('rejects empty, blank, binary and too-wide input with clear codes', () => {
    expect(codeOf(() => sniffDelimited(Buffer.alloc(0), last))).toBe('datastore.empty_file');
    expect(codeOf(() => sniffDelimited(Buffer.from('\n\n  \n'), last))).toBe('datastore.no_rows');
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    expect(codeOf(() => sniffDelimited(junk, last))).toBe('datastore.binary_file');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]), Buffer.alloc(100, 0x41)]);
    expect(codeOf(() => sniffDelimited(png, last))).toBe('datastore.binary_file');
    const wide = Array.from({ length: 2000 }, (_, i) => `c${i}`).join(',');
    expect(codeOf(() => sniffDelimited(Buffer.from(`${wide}\n${wide}\n`), last))).toBe(
      'datastore.too_many_columns',
    );
  });

  it('stops at the column limit even when the header is longer than the sample', () => {
    const wide = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `column_${i}`).join(','));
    const started = Date.now();
    let error: unknown;
    try {
      sniffDelimited(wide.subarray(0, 100_000));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LoadError);
    expect((error as LoadError).code).toBe('datastore.too_many_columns');
    expect((error as LoadError).message).toMatch(/at least \d+ columns/);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
