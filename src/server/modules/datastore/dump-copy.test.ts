import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dictionaryColumn, generatedTable } from '../../../../bench/generated-table.ts';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { testDatabaseUrl } from '../../platform/config.ts';
import { poolOf } from '../../platform/db.ts';
import { CsvRewriter, copyDumpCounts, copyDumpLimits, TsvUnescaper } from './dump-copy.ts';

// CSV and TSV dumps by COPY on PostgreSQL (dump-copy.ts): the same bytes as the paged path for every
// column type and awkward value, under every search parameter; a client that leaves, or stops
// reading, gets its connection closed; beyond the cap, dumps take the paged path.

describe('COPY output rewriters', () => {
  const rewrite = (parts: string[]) => {
    const r = new CsvRewriter();
    const out = parts.map((p) => r.push(Buffer.from(p)).toString()).join('');
    r.end();
    return out;
  };
  it('ends rows in \\r\\n, keeps line breaks inside quotes, quotes fields with a tab, across chunks', () => {
    const copy = 'a,"x\ny",1\nb\tc,"q""\n",\n"\t",d\te,\n';
    const want = 'a,"x\ny",1\r\n"b\tc","q""\n",\r\n"\t","d\te",\r\n';
    expect(rewrite([copy])).toBe(want);
    for (let i = 1; i < copy.length; i++) expect(rewrite([copy.slice(0, i), copy.slice(i)])).toBe(want);
  });
  it('undoes the text format’s escapes, across chunks', () => {
    const copy = 'a\\\\b\\b\\f\\v\tc\n';
    for (let i = 0; i <= copy.length; i++) {
      const u = new TsvUnescaper();
      const out = [copy.slice(0, i), copy.slice(i)].map((p) => u.push(Buffer.from(p)).toString()).join('');
      expect(out).toBe('a\\b\b\f\v\tc\n');
    }
  });
});

const personal = (mask: 'name' | 'phone' | 'partial' | 'full') =>
  ({ sensitivity: 'personal', mask }) as const;
const COLUMNS = [
  dictionaryColumn('文本'),
  dictionaryColumn('整数', { type: 'integer' }),
  dictionaryColumn('大整数', { type: 'bigint' }),
  dictionaryColumn('金额', { type: 'numeric' }),
  dictionaryColumn('日期', { type: 'date' }),
  dictionaryColumn('时间戳', { type: 'timestamp' }),
  dictionaryColumn('时间', { type: 'time' }),
  dictionaryColumn('布尔', { type: 'boolean' }),
  dictionaryColumn('姓名', personal('name')),
  dictionaryColumn('电话', personal('phone')),
  dictionaryColumn('登记时间', { type: 'timestamp', ...personal('partial') }),
  dictionaryColumn('备注', personal('full')),
];
// Every awkward text: null, empty, delimiters, quotes, line breaks, tabs, backslashes and control
// characters, COPY's end marker, Chinese.
const TEXTS = sql`(array[null, '', 'a,b', 'say "hi"', 'l1' || chr(10) || 'l2', 'tab' || chr(9) || 'here',
  'cr' || chr(13) || chr(10) || 'lf', '中文，测试', 'back\\slash' || chr(8) || chr(12) || chr(11), '\\.',
  ' lead', 'tab' || chr(9) || 'and,comma', '"', ',', chr(9), 'x' || chr(13)])[1 + g % 16]`;
const SELECT = sql`
  ${TEXTS} as "文本",
  case when g % 7 = 0 then null else (g::bigint * 37) % 1000 - 500 end::integer as "整数",
  case when g % 9 = 0 then null else 9007199254740993 + g::bigint * 1000003 end::bigint as "大整数",
  case when g % 11 = 0 then null when g % 11 = 1 then 'NaN'::numeric else (g::bigint * 15485863 % 100000) / 100.0 end::numeric as "金额",
  case when g % 13 = 0 then null else date '2015-01-01' + (g::bigint * 7919 % 3650)::int end as "日期",
  case when g % 5 = 0 then null else timestamp '2023-01-01' + (g::bigint * 2654435761 % 31536000000) * interval '1 millisecond' end as "时间戳",
  case when g % 6 = 0 then null else time '00:00' + (g::bigint * 7919 % 86400) * interval '1 second' end as "时间",
  case when g % 4 = 0 then null else g % 3 <> 0 end as "布尔",
  (array[null, '', '王伟', 'Li "Lei"', 'a,b' || chr(9) || 'c'])[1 + g % 5] as "姓名",
  case when g % 8 = 0 then '' else '13' || lpad((g::bigint * 48271 % 1000000000)::text, 9, '0') end as "电话",
  case when g % 10 = 0 then null else timestamp '2020-02-02 10:20:30' + g::bigint * interval '1 hour' end as "登记时间",
  ${TEXTS} as "备注"`;

const onPostgres = !!testDatabaseUrl();

describe.skipIf(!onPostgres)('CSV and TSV dumps by COPY on PostgreSQL', () => {
  let t: TestApp;
  let small: string;
  let big: string;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ rateLimitPerMinute: 1_000_000 });
    const table = async (code: string, name: string, rows: number) =>
      (
        await generatedTable(t.ctx, systemActor('test'), {
          department: { code, nameZh: `导出${code}`, nameEn: `Dump ${code}`, regionCode: '339900' },
          dataset: { name, titleZh: name, openType: 'open', shareType: 'unconditional', licenseId: 'cc-by' },
          distribution: { name: 'rows', url: `https://example.org/${name}.csv` },
          rows,
          select: SELECT,
          columns: COLUMNS,
          indexed: '日期',
        })
      ).distributionId;
    small = await table('DC1', 'copy-small', 400);
    big = await table('DC2', 'copy-big', 200_000);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  }, 300_000);
  afterAll(async () => {
    await t?.close();
  });
  afterEach(() => {
    copyDumpLimits.slots = undefined;
    copyDumpLimits.idleMs = 60_000;
  });

  const dump = async (query: Record<string, unknown>, resource = small) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) q.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    const res = await t.app.inject({ method: 'GET', url: `/datastore/dump/${resource}?${q}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.rawPayload;
  };
  /** The dump by COPY and by pages, checking that each took its path. */
  const bothWays = async (query: Record<string, unknown>) => {
    const before = copyDumpCounts().started;
    const copied = await dump(query);
    expect(copyDumpCounts().started).toBe(before + 1);
    copyDumpLimits.slots = 0;
    const paged = await dump(query);
    copyDumpLimits.slots = undefined;
    expect(copyDumpCounts().started).toBe(before + 1);
    return { copied, paged };
  };

  const CASES: Record<string, unknown>[] = [
    {},
    { bom: 'false' },
    { format: 'tsv' },
    { format: 'tsv', bom: 'true' },
    { filters: { 整数: [-463, 111, 7, 3] } },
    { filters: { 文本: 'say "hi"' }, format: 'tsv' },
    { filters: { 文本: "x'); select 1; --" } },
    { q: '中文' },
    { q: { 文本: 'tab' }, sort: '金额 desc, 文本' },
    { q: "'\\%_" },
    { sort: '布尔 desc, 时间戳', limit: 120, offset: 7 },
    { fields: '文本,日期,姓名,_id', sort: '姓名', format: 'tsv' },
    { fields: '备注,登记时间,电话,大整数', limit: 33 },
    { sort: '日期 desc', offset: 390 },
    { filters: { 布尔: 'true' }, sort: '整数' },
    { filters: { 整数: 100000 }, format: 'tsv' },
  ];
  it.each(CASES)('the same bytes as the paged path: %j', async (query) => {
    const { copied, paged } = await bothWays(query);
    expect(copied.length).toBeGreaterThan(10);
    expect(
      copied.equals(paged),
      `${copied.toString().slice(0, 400)}\n---\n${paged.toString().slice(0, 400)}`,
    ).toBe(true);
  });

  it('the same bytes for a large table, CSV and TSV', async () => {
    for (const format of ['csv', 'tsv']) {
      const before = copyDumpCounts().started;
      const copied = await dump({ format }, big);
      expect(copyDumpCounts().started).toBe(before + 1);
      copyDumpLimits.slots = 0;
      const paged = await dump({ format }, big);
      copyDumpLimits.slots = undefined;
      expect(copied.equals(paged)).toBe(true);
    }
  }, 120_000);

  const pool = () => poolOf(t.ctx.db)!;
  const copiesRunning = async () =>
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from pg_stat_activity
          where query ilike 'copy (select%' and pid <> pg_backend_pid()`.execute(t.ctx.db)
      ).rows[0]?.n,
    );
  const until = async (check: () => Promise<boolean> | boolean, ms = 15_000) => {
    for (const end = Date.now() + ms; Date.now() < end; ) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('timed out');
  };
  /** A dump read over HTTP until `bytes` arrived, then left unread (paused). */
  const openSlowly = (resource: string, bytes = 300_000) =>
    new Promise<{ req: http.ClientRequest; res: http.IncomingMessage }>((resolve, reject) => {
      const req = http.get(`${base}/datastore/dump/${resource}`, (res) => {
        let got = 0;
        res.on('data', (d: Buffer) => {
          got += d.length;
          if (got >= bytes) {
            res.pause();
            resolve({ req, res });
          }
        });
      });
      req.on('error', () => undefined);
      setTimeout(() => reject(new Error('no bytes')), 30_000);
    });

  it('a client that disconnects mid-dump has its connection closed', async () => {
    const total = pool().totalCount;
    const { req } = await openSlowly(big);
    expect(copyDumpCounts().running).toBe(1);
    expect(await copiesRunning()).toBe(1);
    req.destroy();
    await until(async () => copyDumpCounts().running === 0 && (await copiesRunning()) === 0);
    expect(pool().totalCount).toBeLessThanOrEqual(total);
    // The pool still serves.
    expect((await dump({ limit: 3 })).length).toBeGreaterThan(0);
  }, 60_000);

  it('a client that stops reading has its connection closed after the idle limit', async () => {
    copyDumpLimits.idleMs = 500;
    const { req } = await openSlowly(big);
    expect(await copiesRunning()).toBe(1);
    await until(async () => copyDumpCounts().running === 0 && (await copiesRunning()) === 0);
    req.destroy();
  }, 60_000);

  it('beyond the cap, dumps take the paged path (and give the same bytes)', async () => {
    copyDumpLimits.slots = 1;
    const { req } = await openSlowly(big);
    const started = copyDumpCounts().started;
    const copied = await dump({ format: 'tsv', sort: '文本' });
    expect(copyDumpCounts()).toEqual({ running: 1, started });
    req.destroy();
    await until(() => copyDumpCounts().running === 0);
    copyDumpLimits.slots = undefined;
    expect((await dump({ format: 'tsv', sort: '文本' })).equals(copied)).toBe(true);
    expect(copyDumpCounts().started).toBe(started + 1);
  }, 60_000);
});
