import fs from 'node:fs';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../../test/support/test-app.ts';
import type { LoadDto, LoadReport } from '../../../../contracts/datastore.ts';
import { testDatabaseUrl } from '../../../platform/config.ts';
import {
  type CatalogDept,
  catalogDepartment,
  multipart,
  openDatasetInput,
  publishedDataset,
} from '../../catalog/catalog.test-helpers.ts';
import { findLoad } from '../datastore.repository.ts';
import { drainLoads } from '../datastore.test-helpers.ts';
import { executeLoad } from '../load-pipeline.ts';
import { speculation } from './sample.ts';

// The typed load against the staging path it stands in for: the same file loaded both ways must give
// the same table — column types, every value as PostgreSQL prints it, NULLs — and the same report
// (types, candidates, counts, disagreeing examples with their file rows, title rows). PostgreSQL
// only: PGlite always stages.

let t: TestApp;
let a: CatalogDept;
let distributionId: string;

beforeAll(async () => {
  // Each generated file is uploaded twice: more uploads a minute than the default limit allows.
  t = await createTestApp({ rateLimitPerMinute: 100_000 });
  a = await catalogDepartment(t.ctx, t.app);
  const ds = await publishedDataset(t.ctx, openDatasetInput(a.id), {
    filename: 'first.csv',
    content: Buffer.from('a\n1\n'),
  });
  await drainLoads(t.ctx);
  distributionId = ds.distributions[0]!.id;
});
afterAll(async () => {
  if (t) t.ctx.config.datastoreTypedLoad = true;
  await t?.close();
});

/** Uploads `content` as the steward; returns the queued load's id. */
async function queueUpload(content: string | Buffer, fields: Record<string, string> = {}): Promise<string> {
  const body = multipart(fields, { filename: 'file.csv', content: Buffer.from(content) });
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/datastore/${distributionId}/loads`,
    payload: body.payload,
    headers: { ...body.headers, authorization: `Bearer ${a.steward.bearer}` },
  });
  expect(res.statusCode, res.body).toBe(202);
  return res.json().id as string;
}

async function load(
  content: string | Buffer,
  typed: boolean,
  fields: Record<string, string> = {},
  readRows = true,
) {
  t.ctx.config.datastoreTypedLoad = typed;
  const loadId = await queueUpload(content, fields);
  await drainLoads(t.ctx);
  const dto = (await a.steward.get(`/api/datastore/loads/${loadId}`)).json() as LoadDto;
  expect(dto.status, JSON.stringify(dto.error)).toBe('succeeded');
  const table = sql.id('datastore', `${distributionId}@${dto.version}`);
  const types = await sql<{
    name: string;
    type: string;
  }>`select attname as name, format_type(atttypid, atttypmod) as type
    from pg_attribute where attrelid = ${sql.lit(`datastore."${distributionId}@${dto.version}"`)}::regclass
      and attnum > 0 and not attisdropped order by attnum`.execute(t.ctx.db);
  const rows = readRows
    ? await sql<{ r: string }>`select (t.*)::text as r from ${table} t order by _id`.execute(t.ctx.db)
    : { rows: [] };
  // The typed load's profile takes min, max and lengths from the pass; the staging path's reads the table.
  const quality = (await a.steward.get(`/api/datastore/${distributionId}/quality`)).json();
  return {
    report: dto.report!,
    types: types.rows,
    rows: rows.rows.map((r) => r.r),
    version: dto.version!,
    quality: quality.columns as unknown[],
  };
}

/** What must agree between the two paths: all of the report but its path, timings and comparison with the version before. */
const comparable = ({ path: _p, timings: _t, summary: _s, ...rest }: LoadReport) => rest;

/** Loads the typed path took (a generated file may be one it leaves to staging). */
let typedLoads = 0;

async function bothWays(content: string | Buffer, fields: Record<string, string> = {}) {
  const typed = await load(content, true, fields);
  const staged = await load(content, false, fields);
  // A file the typed load does not read as COPY would (a blank line, say) goes the staging way.
  if (typed.report.timings?.typed_refused === undefined) {
    expect(typed.report.path).toBe('typed');
    typedLoads++;
  } else expect(typed.report.path).toBe(staged.report.path);
  expect(staged.report.path).not.toBe('typed');
  expect(typed.types).toEqual(staged.types);
  expect(typed.rows).toEqual(staged.rows);
  expect(comparable(typed.report)).toEqual(comparable(staged.report));
  expect(typed.quality).toEqual(staged.quality);
  return typed;
}

const MIXED = [
  '编号,区划代码,手机,金额,合同额,比例,成立日期,发证日期,更新时间,营业时间,存续,达标,备注,,混合',
  '1,0571,13812345678,12.50,"1,234,567",1.5e3,2023-05-21,2023年5月1日,2023-05-21 10:30:00,9:05,是,Y,"他说""好""",,1',
  '2,0572,13912345678,-0.5,"12,000",2E-2,2023/5/2,2023年12月31日,2023-05-21T10:30,23:59:59.5,否,N,"两行\n备注",,2',
  '3,-,无,N/A,-,NA,null,,2024-02-29 00:00:00,0:00,是,y,　前后空格　,,约3',
  '4,0573,13712345678,"1,234.5",7,.5,2024.2.29,2000年1月1日,1999-12-31 23:59:59,12:00:00,否,n, ,,4',
  '5,0574,13612345678,99999999.9999,"2,147,483,647",-1e-3,2023-5-21,2023年5月21日,2023/5/21 8:00,23:00,是,Y,x,,5',
];

describe.skipIf(!testDatabaseUrl())('the typed load gives what the staging path gives', () => {
  it('a file of every shape: types, values, nulls and the report agree', async () => {
    const typed = await bothWays(`${MIXED.join('\n')}\n`);
    expect(typed.report.columns.map((c) => [c.label, c.type])).toEqual([
      ['编号', 'text'],
      ['区划代码', 'text'],
      ['手机', 'text'],
      ['金额', 'numeric'],
      ['合同额', 'integer'],
      ['比例', 'numeric'],
      ['成立日期', 'date'],
      ['发证日期', 'date'],
      ['更新时间', 'timestamp'],
      ['营业时间', 'time'],
      ['存续', 'boolean'],
      ['达标', 'boolean'],
      ['备注', 'text'],
      ['混合', 'text'],
    ]);
    expect(typed.report.columns.at(-1)).toMatchObject({
      candidate: 'integer',
      examples: [{ row: 4, value: '约3' }],
    });
    expect(typed.report.droppedColumns).toEqual(['#14']);
  });

  it('CRLF line ends, a title row, a BOM and null tokens of the load’s own', async () => {
    const lines = ['岚山市2023年企业名录', ...MIXED];
    await bothWays(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`)]),
    );
    await bothWays(`${MIXED.join('\n')}`, { nullTokens: '["无","-","x"]' });
  });

  it('generated files: the same table and report whatever the values', async () => {
    const value = fc.oneof(
      fc.constantFrom('', '无', '-', 'N/A', ' ', '是', '否', 'Y', 'true', '0', '1', '007', '13812345678'),
      fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((d) => d.toFixed(3)),
      fc.date({ min: new Date('1000-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => {
        const iso = d.toISOString();
        return [
          iso.slice(0, 10),
          iso.slice(0, 19).replace('T', ' '),
          iso.slice(11, 19),
          iso.slice(0, 10).replaceAll('-', '/'),
        ][d.getUTCMilliseconds() % 4]!;
      }),
      fc.string({ maxLength: 6 }).map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    // A column keeps to one kind of value most of the time, so that typed columns come out too.
    const column = fc.tuple(value, fc.array(value, { minLength: 3, maxLength: 3 }));
    const before = typedLoads;
    const file = fc
      .tuple(fc.array(column, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 40 }), fc.nat())
      .map(([columns, rows, seed]) => {
        const lines = [columns.map((_, i) => `c${i}`).join(',')];
        for (let r = 0; r < rows; r++)
          lines.push(
            columns.map(([usual, odd], i) => ((seed + r * 7 + i) % 11 === 0 ? odd[r % 3]! : usual)).join(','),
          );
        return `${lines.join('\n')}\n`;
      });
    await fc.assert(
      fc.asyncProperty(file, async (content) => {
        await bothWays(content);
      }),
      // Each run loads twice: shrinking a failure could outlast the test, so the first one is reported.
      { numRuns: 25, endOnFailure: true },
    );
    expect(typedLoads - before).toBeGreaterThanOrEqual(15);
  }, 120_000);

  it('a file large enough for two threads: the same table, also when the cut falls in a quoted field', async () => {
    const lines = ['编号,金额,日期,名称,备注'];
    for (let i = 1; i <= 800_000; i++)
      lines.push(
        `${i},${i % 97 === 0 ? '无' : (i * 3.25).toFixed(2)},2023-05-${(i % 28) + 1},"名称""${i}""",`,
      );
    const big = `${lines.join('\n')}\n`;
    // The same rows with one long quoted field of many lines around the middle of the file.
    const middle = Math.floor(lines.length / 2);
    const quoted = [...lines];
    quoted[middle] = `${middle},1.00,2023-05-01,"${'跨行\n'.repeat(200_000)}",长`;
    for (const content of [big, `${quoted.join('\n')}\n`]) {
      expect(Buffer.byteLength(content)).toBeGreaterThan(32 * 1024 * 1024);
      const typed = await load(content, true, {}, false);
      const staged = await load(content, false, {}, false);
      expect(typed.report.path).toBe('typed');
      expect(typed.report.timings?.typed_refused).toBeUndefined();
      expect(typed.types).toEqual(staged.types);
      // The staging path infers a file this large from a sample (proven by its casts); the typed load reads every value.
      expect(typed.report.inference).toBe('full');
      expect({ ...comparable(typed.report), inference: 'sample' }).toEqual(comparable(staged.report));
      const table = (v: number) => sql.id('datastore', `${distributionId}@${v}`);
      const differing = await sql<{ n: number }>`select count(*)::int as n from (
          (select * from ${table(typed.version)} except all select * from ${table(staged.version)})
          union all
          (select * from ${table(staged.version)} except all select * from ${table(typed.version)})
        ) d`.execute(t.ctx.db);
      expect(differing.rows[0]!.n).toBe(0);
      expect(typed.report.rows).toBe(800_000);
      // Above EXACT_ROWS distinct counts and common values are estimates from ANALYZE's sample.
      const exact = (q: unknown[]) =>
        (q as Record<string, unknown>[]).map(({ distinct: _d, mostCommon: _m, ...rest }) => rest);
      expect(exact(typed.quality)).toEqual(exact(staged.quality));
    }
  }, 300_000);

  it('stages a file that changed while it was read, and loads what it holds now', async () => {
    t.ctx.config.datastoreTypedLoad = true;
    const loadId = await queueUpload('名称,数量\n岚山,1\n青河,2\n');
    const source = (await findLoad(t.ctx.db, loadId))!.source as { storageKey: string };
    const stored = t.ctx.files.pathOf(source.storageKey);
    let edited = false;
    const outcome = await executeLoad(t.ctx, loadId, {
      signal: new AbortController().signal,
      keepVersions: 5,
      onProgress: (p) => {
        // After the sample, before the pass: the same size and row count, another value.
        if (p.stage === 'reading' && !edited) {
          edited = true;
          fs.writeFileSync(stored, '名称,数量\n岚山,9\n青河,2\n');
        }
      },
    });
    expect(edited).toBe(true);
    expect(outcome.status).toBe('succeeded');
    const dto = (await a.steward.get(`/api/datastore/loads/${loadId}`)).json() as LoadDto;
    expect(dto.report?.path).toBe('copy');
    expect(dto.report?.timings?.typed_refused).toBeGreaterThanOrEqual(0);
    const table = sql.id('datastore', `${distributionId}@${dto.version}`);
    const rows = await sql<{ r: string }>`select (t.*)::text as r from ${table} t order by _id`.execute(
      t.ctx.db,
    );
    expect(rows.rows.map((r) => r.r)).toEqual(['(1,岚山,9)', '(2,青河,2)']);
  });

  it('leaves a file it cannot read as COPY would to the staging path, and says so in the timings', async () => {
    t.ctx.config.datastoreTypedLoad = true;
    const cr = await load('名称,数量\r岚山,1\r青河,2\r', true);
    expect(cr.report.path).toBe('copy');
    expect(cr.report.timings?.typed_refused).toBeGreaterThanOrEqual(0);
    expect(cr.rows).toHaveLength(2);
  });

  describe('one reading with the types of a sample, checked on every value', () => {
    const defaults = { ...speculation };
    afterEach(() => Object.assign(speculation, defaults));

    /**
     * 2,000 rows; with four samples of about 1 KB (at 0, 25, 50 and 75 % of the file), rows 100–400
     * are never sampled. `odd` gives a row's cells to replace.
     */
    function rows(odd: (i: number) => Partial<Record<'count' | 'checked' | 'unlabelled', string>>) {
      const lines = ['编号,人数,金额,复查日期,'];
      for (let i = 1; i <= 2000; i++) {
        const cells = { count: String(i % 800), checked: '', unlabelled: '', ...odd(i) };
        lines.push(`${i},${cells.count},${(i * 1.25).toFixed(2)},${cells.checked},${cells.unlabelled}`);
      }
      return `${lines.join('\n')}\n`;
    }
    const smallSample = () => Object.assign(speculation, { windows: 4, windowBytes: 1024 });

    it('an odd value early in an integer column: read again with the column as text, not twice', async () => {
      smallSample();
      const typed = await bothWays(rows((i) => (i === 150 ? { count: '约5' } : {})));
      const timings = typed.report.timings!;
      expect(timings.typed_missed_1).toBeGreaterThanOrEqual(0);
      expect(timings.typed_pass).toBeGreaterThanOrEqual(0);
      expect(timings.typed_pass_one).toBeUndefined();
      const count = typed.report.columns.find((c) => c.label === '人数')!;
      expect(count).toMatchObject({ type: 'text', candidate: 'integer', disagreeing: 1 });
      expect(count.examples).toEqual([{ row: 151, value: '约5' }]);
    });

    it('a miss it may not start again after: the file is read twice', async () => {
      Object.assign(speculation, { windows: 4, windowBytes: 1024, restarts: 0 });
      const typed = await bothWays(rows((i) => (i === 150 ? { count: '约5' } : {})));
      const timings = typed.report.timings!;
      expect(timings.typed_missed_1).toBeGreaterThanOrEqual(0);
      expect(timings.typed_pass_one).toBeGreaterThanOrEqual(0);
      expect(timings.typed_pass_two).toBeGreaterThanOrEqual(0);
    });

    it('a value in a column without label or value in the sample: read twice', async () => {
      smallSample();
      const typed = await bothWays(rows((i) => (i === 200 ? { unlabelled: 'x' } : {})));
      expect(typed.report.timings?.typed_pass_one).toBeGreaterThanOrEqual(0);
      expect(typed.report.columns).toHaveLength(5);
    });

    it('a column empty in the sample but dated elsewhere: the table written again as dates', async () => {
      smallSample();
      const typed = await bothWays(
        rows((i) => (i >= 100 && i < 400 ? { checked: `2023-05-${(i % 28) + 1}` } : {})),
      );
      expect(typed.report.timings?.typed_again).toBeGreaterThanOrEqual(0);
      expect(typed.report.timings?.typed_missed_1).toBeUndefined();
      expect(typed.types).toContainEqual({ name: '复查日期', type: 'date' });
    });

    it('the types of a sample that holds: one reading', async () => {
      const typed = await bothWays(rows(() => ({})));
      const timings = typed.report.timings!;
      expect(timings.typed_pass).toBeGreaterThanOrEqual(0);
      expect(Object.keys(timings).filter((k) => /missed|again|pass_one/.test(k))).toEqual([]);
    });
  });
});
