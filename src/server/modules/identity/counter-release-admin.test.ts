import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/index.ts';
import { applyDueReleases } from './counter-release.service.ts';
import {
  auditEntries,
  counterCodeOf,
  counterHall,
  registerCitizen,
  residentId,
  STRONG_PASSWORD,
} from './identity.test-helpers.ts';

// What admins do around a pending release: stop it with a reason (a hotline call from the holder, a
// release asked in error), list the pending ones to follow them up, and set the notice period.

let t: TestApp;
let root: TestClient;
let rootId: string;
let clerk: TestClient;
let clerkId: string;
let adminA: TestClient;
let adminB: TestClient;
let handler: TestClient;
let deptA: string;
const RELEASE = '/api/identity-verification/release';
const LIST = '/api/identity-verification/releases';
const stopUrl = (id: string) => `/api/people/${id}/identifier-release`;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  ({ root, clerk, clerkId, adminA, adminB, handler, deptA } = await counterHall(t, 'cra'));
  rootId = (await root.get('/api/me')).json().person.id;
});
afterAll(async () => t.close());

/** A fresh citizen whose number a counter (`by`, the clerk unless given) asked to release. */
async function pendingRelease(sequence: number, by: TestClient = clerk) {
  const reg = await registerCitizen(t.app, sequence);
  const id = reg.me.person.id as string;
  const res = await by.post(RELEASE, { identifier: residentId(sequence), personId: id, note: '无核验码' });
  if (res.statusCode !== 200) throw new Error(`release failed: ${res.statusCode} ${res.body}`);
  return { ...reg, id, dueAt: res.json().releaseDueAt as string };
}

const stop = (c: TestClient, id: string, reason: unknown = '账户持有人致电热线，将到柜台核验') =>
  c.request('DELETE', stopUrl(id), { reason });

describe('stopping a pending release', () => {
  it('the asking department’s admin stops it with a reason: nothing is released, audited', async () => {
    const { client: holder, id, dueAt, username } = await pendingRelease(930);
    const res = await stop(adminA, id, '  账户持有人致电热线 ');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, releaseDueAt: null, status: 'active', identityVerifiedAt: null });
    // Masked view only: a department admin does not manage residents.
    expect(res.json().identifierMasked).not.toBe(residentId(930));
    expect((await holder.get('/api/me')).json().person.identifierReleaseDueAt).toBeNull();

    const entry = (await auditEntries(t.ctx, 'identity.person.release_cancelled')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({
      department_id: deptA,
      details: { kind: 'citizen', at: 'admin', reason: '账户持有人致电热线', dueAt, requestedBy: clerkId },
    });
    expect(entry?.actor_label).toBe('cra-admin-a');
    expect(JSON.stringify(entry)).not.toContain(residentId(930));
    expect((await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey)).ok).toBe(true);

    // The tick has nothing to release; the holder signs in as before, number kept.
    await applyDueReleases(t.ctx);
    expect((await holder.get('/api/me')).json().person.residentIdMasked).not.toBeNull();
    const signIn = await new TestClient(t.app).post('/api/auth/login', {
      username,
      password: STRONG_PASSWORD,
    });
    expect(signIn.statusCode).toBe(200);

    // Stopped once, there is nothing left to stop (a department admin is not told more than "not
    // yours": no release of their counters' is pending); a counter may ask again.
    expect((await stop(adminA, id)).statusCode).toBe(403);
    const again = await stop(root, id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('identity.release_not_pending');
    const renewed = await clerk.post(RELEASE, { identifier: residentId(930), personId: id, note: '再次' });
    expect(renewed.statusCode).toBe(200);
  });

  it('platform admins stop any; other departments’ admins, the clerk and other staff may not', async () => {
    const { id } = await pendingRelease(931);
    for (const c of [adminB, clerk, handler]) expect((await stop(c, id)).statusCode).toBe(403);
    expect((await stop(new TestClient(t.app), id)).statusCode).toBe(401);
    const res = await stop(root, id, '柜台误操作');
    expect(res.statusCode, res.body).toBe(200);
    const entry = (await auditEntries(t.ctx, 'identity.person.release_cancelled')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({ actor_id: rootId, details: { at: 'admin', reason: '柜台误操作' } });
  });

  it('a release asked by a platform admin outside any department is the platform admins’ to stop', async () => {
    const { id } = await pendingRelease(932, root);
    expect((await stop(adminA, id)).statusCode).toBe(403);
    expect((await stop(root, id)).statusCode).toBe(200);
  });

  it('answers 409 when none is pending (never asked, or ended by a verification), 404 for no account', async () => {
    const { me } = await registerCitizen(t.app, 933);
    const none = await stop(root, me.person.id);
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('identity.release_not_pending');

    const { client: holder, id } = await pendingRelease(934);
    const code = await counterCodeOf(holder);
    const verified = await clerk.post('/api/identity-verification', {
      identifier: residentId(934),
      personId: id,
      code,
      note: '居民身份证原件',
    });
    expect(verified.statusCode).toBe(200);
    expect((await stop(root, id)).statusCode).toBe(409);
    expect((await stop(root, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('needs a reason that is not blank, and nothing but a reason', async () => {
    const { id } = await pendingRelease(935);
    for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(201) }, { reason: '热线', extra: 1 }]) {
      expect((await adminA.request('DELETE', stopUrl(id), body)).statusCode).toBe(400);
    }
    const blank = await stop(adminA, id, '   ');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().error.details.fields[0].path).toBe('/reason');
    expect(
      (await adminA.request('DELETE', '/api/people/not-a-uuid/identifier-release', { reason: 'x' }))
        .statusCode,
    ).toBe(400);
    expect((await adminA.get('/api/people')).statusCode).toBe(200);
    // Still pending after all the refusals.
    expect((await stop(adminA, id)).statusCode).toBe(200);
  });
});

describe('the list of pending releases', () => {
  it('shows due date, asking department and clerk, soonest first; department admins see their counters’', async () => {
    const a = await pendingRelease(940);
    const b = await pendingRelease(941, root);
    // Make the order observable: b is due before a.
    await t.ctx.db
      .updateTable('people')
      .set({ identifier_release_due_at: new Date(Date.now() + DAY) })
      .where('id', '=', b.id)
      .execute();

    const all = await root.get(`${LIST}?limit=200`);
    expect(all.statusCode, all.body).toBe(200);
    const ids = all.json().items.map((i: { account: { id: string } }) => i.account.id);
    expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    const itemA = all.json().items.find((i: { account: { id: string } }) => i.account.id === a.id);
    expect(itemA).toMatchObject({
      account: { id: a.id, releaseDueAt: a.dueAt, displayNameMasked: '张*' },
      requestedByLabel: 'cra-clerk',
      departmentId: deptA,
      departmentNameZh: '政务服务中心',
      departmentNameEn: 'Service hall',
      requestedAt: expect.any(String),
    });
    expect(all.json().total).toBeGreaterThanOrEqual(2);
    expect(all.body).not.toContain(residentId(940));

    const mine = await adminA.get(LIST);
    expect(mine.statusCode).toBe(200);
    const mineIds = mine.json().items.map((i: { account: { id: string } }) => i.account.id);
    expect(mineIds).toContain(a.id);
    expect(mineIds).not.toContain(b.id);
    expect((await adminB.get(LIST)).json()).toEqual({ items: [], total: 0 });
    const byDept = await root.get(`${LIST}?departmentId=${deptA}&limit=200`);
    expect(byDept.json().items.map((i: { account: { id: string } }) => i.account.id)).not.toContain(b.id);

    // Stopped releases leave the list.
    expect((await stop(adminA, a.id)).statusCode).toBe(200);
    const after = (await adminA.get(LIST)).json().items.map((i: { account: { id: string } }) => i.account.id);
    expect(after).not.toContain(a.id);
  });

  it('is for admins only, with a validated query', async () => {
    for (const c of [clerk, handler]) expect((await c.get(LIST)).statusCode).toBe(403);
    expect((await new TestClient(t.app).get(LIST)).statusCode).toBe(401);
    for (const q of ['limit=0', 'limit=201', 'offset=-1', 'departmentId=nope']) {
      expect((await root.get(`${LIST}?${q}`)).statusCode).toBe(400);
    }
  });
});

describe('the notice period as configuration', () => {
  it('dates a release by CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS', async () => {
    const short = await createTestApp({ identifierReleaseNoticeDays: 3 });
    try {
      const hall = await counterHall(short, 'crn');
      const { me } = await registerCitizen(short.app, 950);
      const before = Date.now();
      const res = await hall.clerk.post(RELEASE, {
        identifier: residentId(950),
        personId: me.person.id,
        note: '无核验码',
      });
      expect(res.statusCode, res.body).toBe(200);
      const due = Date.parse(res.json().releaseDueAt);
      expect(due).toBeGreaterThanOrEqual(before + 3 * DAY);
      expect(due).toBeLessThan(Date.now() + 3 * DAY + 1000);
    } finally {
      await short.close();
    }
  });
});
