import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from './detect-format.ts';
import { LoadError } from './errors.ts';
import { openRows } from './index.ts';
import { collect, gb18030, scratch } from './test-support.ts';
import type { LoadIssueKind } from './types.ts';

/**
 * The bad-input corpus, through the same path an upload takes (detectFormat, then openRows): each
 * file ends as rows with issues or as a LoadError with a stable code — never a crash or a hang.
 */
let dir: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(() => dir.cleanup());

type Outcome =
  | { labels: string[]; rows: (string | null)[][]; issues: LoadIssueKind[]; counts: Record<string, number> }
  | { error: string };

let counter = 0;
async function load(name: string, data: Buffer | string, limits = {}): Promise<Outcome> {
  const file = await dir.file(`${counter++}-${name}`, data);
  try {
    const format = detectFormat(name, Buffer.from(data).subarray(0, 65536));
    const reader = await openRows(file, { format, limits });
    const rows = await collect(reader);
    for (const row of rows) expect(row).toHaveLength(reader.labels.length);
    return {
      labels: reader.labels,
      rows,
      issues: reader.issues.map((i) => i.kind),
      counts: reader.issueCounts(),
    };
  } catch (err) {
    if (err instanceof LoadError) return { error: err.code };
    throw err;
  }
}

describe('bad-input corpus', () => {
  it('empty, blank and header-only files', async () => {
    expect(await load('empty.csv', '')).toEqual({ error: 'datastore.empty_file' });
    expect(await load('blank.csv', '\r\n\r\n   \r\n')).toEqual({ error: 'datastore.no_rows' });
    expect(await load('header.csv', '姓名,年龄\n')).toMatchObject({
      labels: ['姓名', '年龄'],
      rows: [],
      issues: [],
    });
  });

  it('binary junk', async () => {
    const junk = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 2654435761) % 251));
    expect(await load('junk.csv', junk)).toEqual({ error: 'datastore.binary_file' });
    expect(await load('junk', junk)).toEqual({ error: 'datastore.binary_file' });
  });

  it('every BOM', async () => {
    const text = 'a,b\n1,2\n';
    const expected = { labels: ['a', 'b'], rows: [['1', '2']] };
    expect(
      await load('utf8.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])),
    ).toMatchObject(expected);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(await load('le.csv', le)).toMatchObject(expected);
    expect(await load('be.csv', Buffer.from(le).swap16())).toMatchObject(expected);
    const utf32 = Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0, 0x0a, 0, 0, 0]);
    expect(await load('utf32.csv', utf32)).toEqual({ error: 'datastore.unsupported_encoding' });
    expect(await load('utf32be.csv', Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]))).toEqual({
      error: 'datastore.unsupported_encoding',
    });
  });

  it('a UTF-8 file with one GBK line is read as UTF-8 with that line repaired', async () => {
    const data = Buffer.concat([
      Buffer.from('区,人口\n东港区,1\n'),
      gb18030('岚山区,2\n'),
      Buffer.from('西岭区,3\n'),
    ]);
    expect(await load('mixed.csv', data)).toMatchObject({
      rows: [
        ['东港区', '1'],
        ['岚山区', '2'],
        ['西岭区', '3'],
      ],
      issues: ['encoding_repaired'],
    });
  });

  it('CR, LF, CRLF, trailing delimiters and title rows', async () => {
    for (const nl of ['\r', '\n', '\r\n']) {
      const data = `岚山市统计年鉴${nl}${nl}区,人口,${nl}东港区,1,${nl}西岭区,2,${nl}`;
      expect(await load(`nl-${nl.length}.csv`, data)).toMatchObject({
        labels: ['区', '人口', ''],
        rows: [
          ['东港区', '1', null],
          ['西岭区', '2', null],
        ],
        issues: ['title_row', 'empty_header'],
      });
    }
  });

  it('ragged rows and unbalanced quotes', async () => {
    expect(await load('ragged.csv', 'a,b,c\n1\n1,2,3,4\n"x,1,2\n5,6,7\n')).toMatchObject({
      rows: [
        ['1', null, null],
        ['1', '2', '3,4'],
        ['"x', '1', '2'],
        ['5', '6', '7'],
      ],
      issues: ['ragged_row', 'ragged_row', 'unbalanced_quote'],
    });
  });

  it('20,000 columns fail fast with the count', async () => {
    const header = Array.from({ length: 20_000 }, (_, i) => `col${i}`).join(',');
    const started = Date.now();
    expect(await load('wide.csv', `${header}\n${header}\n`)).toEqual({ error: 'datastore.too_many_columns' });
    const ndjson = `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":${i}`).join(',')}}\n`;
    expect(await load('wide.ndjson', ndjson)).toEqual({ error: 'datastore.too_many_columns' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a 10 MB field', async () => {
    const big = '岚'.repeat((10 * 1024 * 1024) / 3);
    const outcome = await load('big.csv', `a,b\n"${big}",1\n`);
    expect(outcome).toMatchObject({ labels: ['a', 'b'], issues: [] });
    expect('rows' in outcome && outcome.rows[0]![0]).toBe(big);
  });

  it('issues stay bounded: every one counted, the first hundred kept', async () => {
    const data = `a,b\n${'1\n'.repeat(5000)}`;
    const outcome = await load('many.csv', data);
    expect(outcome).toMatchObject({ counts: { ragged_row: 5000 } });
    expect('issues' in outcome && outcome.issues).toHaveLength(100);
  });

  it('random bytes and random CSV-like text never crash or hang', async () => {
    const csvish = fc
      .array(fc.constantFrom('a', '岚', ',', ';', '\t', '"', "'", '\n', '\r', '\r\n', ' ', '1', '\0', '\\'), {
        maxLength: 400,
      })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          csvish,
          fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
        ),
        async (data) => {
          const outcome = await load('fuzz.csv', data);
          expect(outcome).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
