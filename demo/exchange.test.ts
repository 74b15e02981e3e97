import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidResidentId } from '../src/contracts/identifiers.ts';
import { verifyAccessLog } from '../src/server/modules/exchange/index.ts';
import { signIn } from '../src/server/modules/identity/identity.test-helpers.ts';
import { createTestApp, type TestApp } from '../test/support/test-app.ts';
import {
  DEMO_REQUESTS,
  ENROLMENT_DATASET,
  RECIPIENTS_DATASET,
  RECIPIENTS_DICTIONARY,
  recipients,
  recipientsCsv,
} from './exchange-data.ts';
import { type DemoSummary, loadDemo } from './index.ts';
import { DEMO_CITIZENS, DEMO_PUBLIC_PASSWORD, DEMO_STAFF_PASSWORD } from './people.ts';

// The demo exchange (demo/exchange.ts) as a newcomer meets it: Civil Affairs' register loaded and
// described, the requests of four departments in their four outcomes, Human Resources' system
// having read through the gateway, and a demo citizen seeing who read their record.

const HRSS = '岚山市人力资源和社会保障局';

describe('demo exchange data (source)', () => {
  it('holds every demo citizen and valid, distinct, fictional resident IDs', () => {
    const rows = recipients();
    expect(rows).toHaveLength(30);
    const ids = rows.map((r) => r.身份证号);
    for (const id of ids) {
      expect(isValidResidentId(id), id).toBe(true);
      expect(id.startsWith('3399'), id).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of DEMO_CITIZENS) expect(ids).toContain(c.residentId);
    // Identical on every load: the stored file's checksum does not change.
    expect(recipientsCsv().equals(recipientsCsv())).toBe(true);
  });
});

describe('loadDemo: the exchange', () => {
  let t: TestApp;
  let first: DemoSummary | undefined;
  let distributionId: string;

  const departmentId = async (code: string) =>
    (await t.ctx.db.selectFrom('departments').select('id').where('code', '=', code).executeTakeFirstOrThrow())
      .id;
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.ctx.db))
        .rows[0]!.n,
    );

  beforeAll(async () => {
    t = await createTestApp();
    first = await loadDemo(t.ctx);
    const dist = await t.ctx.db
      .selectFrom('catalog_distributions as d')
      .innerJoin('catalog_datasets as ds', 'ds.id', 'd.dataset_id')
      .select('d.id')
      .where('ds.name', '=', RECIPIENTS_DATASET)
      .where('d.kind', '=', 'file')
      .executeTakeFirstOrThrow();
    distributionId = dist.id;
  });
  afterAll(async () => t?.close());

  it('loads Civil Affairs’ register into a table described by its steward’s dictionary', async () => {
    expect(first!.exchange).toEqual({
      requests: DEMO_REQUESTS.length,
      created: DEMO_REQUESTS.length,
      calls: 7,
    });
    const table = await t.ctx.db
      .selectFrom('datastore_tables')
      .select(['row_count', 'columns', 'current_version'])
      .where('distribution_id', '=', distributionId)
      .executeTakeFirstOrThrow();
    expect(Number(table.row_count)).toBe(30);
    const columns = table.columns as { id: string; sensitivity: string; mask: string; subject?: string }[];
    for (const want of RECIPIENTS_DICTIONARY) {
      const column = columns.find((c) => c.id === want.id);
      expect(column, want.id).toMatchObject({ sensitivity: want.sensitivity, mask: want.mask });
    }
    expect(columns.find((c) => c.id === '身份证号')!.subject).toBe('resident_id');
  });

  it('files the requests: approved with fewer fields, pending with a deadline, refused with a reason, granted at once', async () => {
    const rows = await t.ctx.db
      .selectFrom('exchange_requests as r')
      .innerJoin('departments as d', 'd.id', 'r.requester_department_id')
      .innerJoin('catalog_datasets as ds', 'ds.id', 'r.dataset_id')
      .leftJoin('exchange_grants as g', 'g.id', 'r.grant_id')
      .select([
        'd.code',
        'ds.name',
        'r.state',
        'r.fields',
        'r.due_at',
        'r.decision_reason',
        'r.auto_approved',
        'r.requested_by_label',
        'g.fields as granted',
        'g.state as grant_state',
        'g.credential_prefix',
      ])
      .execute();
    expect(rows).toHaveLength(DEMO_REQUESTS.length);
    const by = new Map(rows.map((r) => [r.code, r]));
    const hrss = by.get('LS-HRSS')!;
    expect(hrss).toMatchObject({ name: RECIPIENTS_DATASET, state: 'approved', grant_state: 'active' });
    expect(hrss.requested_by_label).toBe('wei.na');
    expect(hrss.fields).toContain('保障金额');
    expect(hrss.granted).not.toContain('保障金额');
    expect(hrss.granted!.length).toBeLessThan(hrss.fields.length);
    // The credential its calls used was issued (only its hash and prefix are stored) and then forgotten.
    expect(hrss.credential_prefix).toMatch(/^cvx_/);

    const health = by.get('LS-HEALTH')!;
    expect(health.state).toBe('pending');
    expect(new Date(health.due_at!).getTime()).toBeGreaterThan(Date.now());
    const drc = by.get('LS-DRC')!;
    expect(drc.state).toBe('refused');
    expect(drc.decision_reason).toContain('城乡最低生活保障统计');
    const cab = by.get('LS-CAB')!;
    expect(cab).toMatchObject({ name: ENROLMENT_DATASET, state: 'approved', auto_approved: true });
  });

  it('shows the pending request in Civil Affairs’ inbox to its data steward', async () => {
    const steward = await signIn(t.app, 'han.bing', DEMO_STAFF_PASSWORD);
    const res = await steward.get('/api/exchange/requests?side=incoming&state=pending');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { requesterDepartmentId: string; dueAt: string | null }[];
    expect(items).toHaveLength(1);
    expect(items[0]!.requesterDepartmentId).toBe(await departmentId('LS-HEALTH'));
    expect(items[0]!.dueAt).toBeTruthy();
  });

  it('logs the gateway calls with purpose and case, the refusal too, in a chain that verifies', async () => {
    const rows = await t.ctx.db
      .selectFrom('exchange_access_log')
      .select(['requester_department_id', 'operation', 'outcome', 'purpose', 'case_ref', 'row_count', 'seq'])
      .execute();
    expect(rows).toHaveLength(7);
    const hrss = await departmentId('LS-HRSS');
    expect(rows.filter((r) => r.requester_department_id === hrss)).toHaveLength(6);
    expect(rows.filter((r) => r.outcome === 'ok')).toHaveLength(6);
    expect(rows.filter((r) => r.outcome === 'refused')).toHaveLength(1);
    for (const r of rows) {
      expect(r.purpose).toBeTruthy();
      expect(r.case_ref).toBeTruthy();
      // Chained already: a newcomer's "Verify" finds nothing waiting.
      expect(r.seq).not.toBeNull();
    }
    expect(await verifyAccessLog(t.ctx)).toMatchObject({ ok: true, verified: 7 });
  });

  it('lets a demo citizen sign in and see who read their record, why and for which case', async () => {
    const citizen = await signIn(t.app, 'liu.yang', DEMO_PUBLIC_PASSWORD);
    const res = await citizen.get('/api/me/data-access');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as {
      requesterDepartmentZh: string;
      purpose: string;
      caseRef: string;
      fields: string[];
    }[];
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.requesterDepartmentZh).toBe(HRSS);
      expect(item.caseRef).toBe('JY-2026-01873');
      expect(item.fields).not.toContain('保障金额');
    }
    expect(items.map((i) => i.purpose).sort()).toEqual(['就业困难人员认定', '就业援助回访'].sort());
    // A resident of 望湖区 was read by the district filter.
    const wanghu = await signIn(t.app, 'luo.xue', DEMO_PUBLIC_PASSWORD);
    const theirs = (await wanghu.get('/api/me/data-access')).json().items as { caseRef: string }[];
    expect(theirs.map((i) => i.caseRef)).toEqual(['JY-2026-PL-007']);
  });

  it('creates nothing new when loaded again', async () => {
    const tables = [
      'exchange_requests',
      'exchange_grants',
      'exchange_access_log',
      'datastore_loads',
      'audit_log',
    ];
    const before = await Promise.all(tables.map(count));
    const again = await loadDemo(t.ctx);
    expect(again!.exchange).toEqual({ requests: DEMO_REQUESTS.length, created: 0, calls: 0 });
    expect(await Promise.all(tables.map(count))).toEqual(before);
    expect(JSON.stringify(again)).not.toContain('cvx_');
  });
});
