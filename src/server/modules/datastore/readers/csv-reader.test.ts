import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRows } from './index.ts';
import { collect, gb18030, scratch } from './test-support.ts';
import type { LoadIssueKind, RowReader } from './types.ts';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(() => dir.cleanup());

async function read(data: Buffer | string, name = 'data.csv', limits = {}) {
  const file = await dir.file(name, data);
  const reader = await openRows(file, { format: name.endsWith('.tsv') ? 'tsv' : 'csv', limits });
  const rows = await collect(reader);
  return { reader, rows, kinds: kinds(reader) };
}

function kinds(reader: RowReader): LoadIssueKind[] {
  return reader.issues.map((i) => i.kind);
}

describe('openRows on delimited text', () => {
  it('reads GB18030 with a title row and Chinese headers intact', async () => {
    const { reader, rows, kinds } = await read(
      gb18030(
        '岚山市2023年企业名录,,\r\n企业名称,地址,注册资本\r\n岚山钢铁,"东港区, 滨海路1号",500\r\n青川茶业,西岭镇,\r\n',
      ),
    );
    expect(reader.labels).toEqual(['企业名称', '地址', '注册资本']);
    expect(reader.titleRows).toEqual(['岚山市2023年企业名录']);
    expect(reader.encoding).toBe('gb18030');
    expect(rows).toEqual([
      ['岚山钢铁', '东港区, 滨海路1号', '500'],
      ['青川茶业', '西岭镇', null],
    ]);
    expect(kinds).toEqual(['title_row']);
    // Line 1 of the file, one row above the header (row 1 of the data is the row after the header).
    expect([reader.issues[0]!.row, reader.issues[0]!.params]).toEqual([-1, { variant: 'line', line: 1 }]);
  });

  it('pads short rows, keeps extra fields in the last column, and reports both', async () => {
    const { rows, reader } = await read(
      'id,name,address\n1,Li\n2,Wang,Road 1, Building 2\n3,Zhao,Road 3,,\n',
    );
    expect(rows).toEqual([
      ['1', 'Li', null],
      ['2', 'Wang', 'Road 1, Building 2'],
      ['3', 'Zhao', 'Road 3'],
    ]);
    expect(reader.issues.map((i) => [i.kind, i.row])).toEqual([
      ['ragged_row', 1],
      ['ragged_row', 2],
      ['ragged_row', 3],
    ]);
    expect(reader.issues[1]!.column).toBe('address');
    // The figures travel with the issue, so the console can word it in the reader's language.
    expect(reader.issues.map((i) => i.params)).toEqual([
      { variant: 'short', found: 2, expected: 3 },
      { variant: 'extra_kept', found: 4, expected: 3 },
      { variant: 'trailing_empty', found: 5, expected: 3 },
    ]);
  });

  it('recovers an unclosed quote at the end of its line', async () => {
    const { rows, reader } = await read('a,b\n1,"broken\n2,ok\n3,"fine, quoted"\n4,"x"y\n');
    expect(rows).toEqual([
      ['1', '"broken'],
      ['2', 'ok'],
      ['3', 'fine, quoted'],
      ['4', '"x"y'],
    ]);
    expect(reader.issues.map((i) => [i.kind, i.row])).toEqual([
      ['unbalanced_quote', 1],
      ['unbalanced_quote', 4],
    ]);
    expect(reader.issues.map((i) => i.params)).toEqual([
      { variant: 'text_after' },
      { variant: 'text_after' },
    ]);
  });

  it('keeps quoted line breaks and doubled quotes', async () => {
    const { rows, kinds } = await read('a,b\n1,"line one\nline two"\n2,"say ""hi"""\n');
    expect(rows).toEqual([
      ['1', 'line one\nline two'],
      ['2', 'say "hi"'],
    ]);
    expect(kinds).toEqual([]);
  });

  it('reads CR, LF, CRLF and a mix of them', async () => {
    for (const nl of ['\n', '\r', '\r\n']) {
      const { rows } = await read(`a,b${nl}1,2${nl}3,4`);
      expect(rows).toEqual([
        ['1', '2'],
        ['3', '4'],
      ]);
    }
    const { rows } = await read('a,b\r\n1,2\n3,4\r5,6\r\n');
    expect(rows).toHaveLength(3);
  });

  it('keeps an empty last column for a trailing delimiter and reports its missing label', async () => {
    const { reader, rows, kinds } = await read('a,b,\n1,2,\n3,4,\n');
    expect(reader.labels).toEqual(['a', 'b', '']);
    expect(rows).toEqual([
      ['1', '2', null],
      ['3', '4', null],
    ]);
    expect(kinds).toEqual(['empty_header']);
  });

  it('strips NUL bytes, skips blank rows and reports duplicate labels', async () => {
    const { rows, kinds } = await read('x,x\n1\0,2\n\n,\n3,4\n');
    expect(rows).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
    expect(kinds.sort()).toEqual(['blank_row', 'blank_row', 'duplicate_header', 'nul_bytes']);
  });

  it('reads tab-separated UTF-16 with a BOM', async () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('名称\t数量\n苹果\t3\n', 'utf16le')]);
    const { reader, rows } = await read(data, 'data.tsv');
    expect(reader.labels).toEqual(['名称', '数量']);
    expect(rows).toEqual([['苹果', '3']]);
  });

  it('repairs a GBK line inside a UTF-8 file and says so', async () => {
    const data = Buffer.concat([
      Buffer.from('名称,值\n岚山,1\n'),
      gb18030('东港,2\n'),
      Buffer.from('西岭,3\n'),
    ]);
    const { rows, reader } = await read(data);
    expect(rows).toEqual([
      ['岚山', '1'],
      ['东港', '2'],
      ['西岭', '3'],
    ]);
    expect(reader.issues).toMatchObject([{ kind: 'encoding_repaired', row: 2, sample: '东港,2' }]);
  });

  it('reads a 10 MB field and truncates one beyond the limit', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const { rows, kinds } = await read(`a,b\n1,"${big}"\n2,${big}\n`);
    expect(rows.map((r) => r[1]!.length)).toEqual([big.length, big.length]);
    expect(kinds).toEqual([]);
    const small = await read(`a,b\n1,${'y'.repeat(5000)}\n2,"${'z'.repeat(5000)}"\n3,ok\n`, 'small.csv', {
      maxFieldBytes: 1000,
    });
    expect(small.rows.map((r) => [r[0], r[1]!.length])).toEqual([
      ['1', 1000],
      ['2', 1000],
      ['3', 2],
    ]);
    expect(small.kinds).toEqual(['truncated_field', 'truncated_field']);
  });

  it('returns no rows for a header-only file and stops at maxRows', async () => {
    const headerOnly = await read('a,b\n');
    expect(headerOnly.reader.labels).toEqual(['a', 'b']);
    expect(headerOnly.rows).toEqual([]);
    const limited = await read('a\n1\n2\n3\n', 'limited.csv', { maxRows: 2 });
    expect(limited.rows).toEqual([['1'], ['2']]);
    expect(limited.kinds).toEqual(['row_limit']);
  });

  it('reads across chunk boundaries the same as in one piece', async () => {
    const line = '"岚山, 东港",12345,"multi\nline ""quoted"""\r\n';
    const body = line.repeat(60_000); // several 1 MB read chunks
    const { rows, reader } = await read(`a,b,c\r\n${body}`);
    expect(rows).toHaveLength(60_000);
    expect(new Set(rows.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(rows[0]).toEqual(['岚山, 东港', '12345', 'multi\nline "quoted"']);
    expect(reader.bytesRead()).toBe(Buffer.byteLength(`a,b,c\r\n${body}`));
  });
});
