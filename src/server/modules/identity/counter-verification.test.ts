import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/index.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { maskName } from './counter-verification.service.ts';
import {
  auditEntries,
  counterCodeOf,
  counterHall,
  registerCitizen,
  residentId,
  STRONG_PASSWORD,
  signIn,
  uniqueName,
  uscc,
} from './identity.test-helpers.ts';
import { createDepartment, createStaff, verifyIdentity } from './index.ts';

// Real-name verification at the counter: identity verifiers find one account by the full identifier
// on the document in hand (blind index, exact), see it masked, verify it with a note; every lookup is
// audited; a mistaken verification is withdrawn by a platform admin or the counter department's admin.

let t: TestApp;
let root: TestClient;
let clerk: TestClient;
let clerkId: string;
let adminA: TestClient;
let adminB: TestClient;
let handler: TestClient;
let deptA: string;
const NOTE = '居民身份证原件';

const LOOKUP = '/api/identity-verification/lookup';
const VERIFY = '/api/identity-verification';
const withdrawUrl = (id: string) => `/api/people/${id}/identity-verification`;

beforeAll(async () => {
  t = await createTestApp();
  ({ root, clerk, clerkId, adminA, adminB, handler, deptA } = await counterHall(t, 'cv'));
});
afterAll(async () => t.close());

describe('lookup by the full identifier', () => {
  it('shows the counter clerk a masked summary of the one account, and audits the lookup', async () => {
    const { me } = await registerCitizen(t.app, 801);
    const res = await clerk.post(LOOKUP, {
      identifier: residentId(801)
        .toLowerCase()
        .replace(/(\d{6})/, '$1 '),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      {
        id: me.person.id,
        kind: 'citizen',
        displayNameMasked: '张*',
        identifierMasked: me.person.residentIdMasked,
        companyName: null,
        status: 'active',
        registeredAt: me.person.createdAt,
        identityVerifiedAt: null,
        releaseDueAt: null,
      },
    ]);
    // Nothing that would let the clerk learn more than the card in hand shows.
    expect(res.body).not.toContain(me.person.username);
    expect(res.body).not.toContain(residentId(801));

    const entry = (await auditEntries(t.ctx, 'identity.person.counter_lookup')).find(
      (e) => e.target_id === me.person.id,
    );
    expect(entry).toMatchObject({
      actor_id: clerkId,
      target_type: 'person',
      department_id: deptA,
      details: { kind: 'citizen', found: 1 },
    });
    expect(JSON.stringify(entry)).not.toContain(residentId(801));
    expect((await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey)).ok).toBe(true);
  });

  it('needs the full, exact identifier: a prefix is refused, another valid number finds nothing (audited)', async () => {
    await registerCitizen(t.app, 802);
    const prefix = await clerk.post(LOOKUP, { identifier: residentId(802).slice(0, 17) });
    expect(prefix.statusCode).toBe(400);
    expect(prefix.json().error.code).toBe('identity.invalid_identifier');
    const wrongCheck = residentId(802).slice(0, 17) + (residentId(802).endsWith('0') ? '1' : '0');
    expect((await clerk.post(LOOKUP, { identifier: wrongCheck })).statusCode).toBe(400);

    const before = (await auditEntries(t.ctx, 'identity.person.counter_lookup')).length;
    const other = await clerk.post(LOOKUP, { identifier: residentId(899) });
    expect(other.statusCode).toBe(200);
    expect(other.json().items).toEqual([]);
    const after = await auditEntries(t.ctx, 'identity.person.counter_lookup');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ actor_id: clerkId, target_id: null, details: { found: 0 } });
  });

  it('finds every business account acting for one company by its credit code', async () => {
    const code = uscc(803);
    for (const name of ['王小明', '李四']) {
      const reg = await new TestClient(t.app).post('/api/auth/register', {
        kind: 'business',
        username: uniqueName('biz'),
        password: STRONG_PASSWORD,
        displayName: name,
        uscc: code,
        companyName: '窗口核验测试有限公司',
      });
      expect(reg.statusCode, reg.body).toBe(201);
    }
    const res = await clerk.post(LOOKUP, { identifier: code });
    expect(res.json().items.map((a: { displayNameMasked: string }) => a.displayNameMasked)).toEqual([
      '王*明',
      '李*',
    ]);
    expect(res.json().items[0].companyName).toBe('窗口核验测试有限公司');
  });

  it('is for identity verifiers and platform admins only; the clerk cannot browse people', async () => {
    const body = { identifier: residentId(801) };
    for (const c of [handler, adminA, adminB]) expect((await c.post(LOOKUP, body)).statusCode).toBe(403);
    const { client: citizen } = await registerCitizen(t.app, 804);
    expect((await citizen.post(LOOKUP, body)).statusCode).toBe(403);
    expect((await new TestClient(t.app).post(LOOKUP, body)).statusCode).toBe(401);
    expect((await root.post(LOOKUP, body)).statusCode).toBe(200);

    const { me } = await registerCitizen(t.app, 805);
    expect((await clerk.get('/api/people')).statusCode).toBe(403);
    expect((await clerk.get(`/api/people?q=${me.person.username}`)).statusCode).toBe(403);
    expect((await clerk.get(`/api/people/${me.person.id}`)).statusCode).toBe(403);
  });
});

describe('verification at the counter', () => {
  it('records the clerk, their department and the note; 409 the second time', async () => {
    const { client, me } = await registerCitizen(t.app, 810);
    const res = await clerk.post(VERIFY, {
      identifier: residentId(810),
      personId: me.person.id,
      code: await counterCodeOf(client),
      note: ` ${NOTE} `,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: me.person.id, identityVerifiedAt: expect.any(String) });
    const row = await t.ctx.db
      .selectFrom('people')
      .select(['identity_verified_by', 'identity_verification_note', 'identity_verified_department_id'])
      .where('id', '=', me.person.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      identity_verified_by: clerkId,
      identity_verification_note: NOTE,
      identity_verified_department_id: deptA,
    });
    expect((await client.get('/api/me')).json().person.identityVerifiedAt).toBe(
      res.json().identityVerifiedAt,
    );
    const entry = (await auditEntries(t.ctx, 'identity.person.verify_identity')).find(
      (e) => e.target_id === me.person.id,
    );
    expect(entry).toMatchObject({
      actor_id: clerkId,
      department_id: deptA,
      details: { kind: 'citizen', note: NOTE, at: 'counter' },
    });

    const again = await clerk.post(VERIFY, {
      identifier: residentId(810),
      personId: me.person.id,
      code: 'ABCD-EFGH',
      note: '再次',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('identity.already_verified');
  });

  it('verifies only the account holding the identifier typed: another number is 404 and changes nothing', async () => {
    const { me } = await registerCitizen(t.app, 811);
    await registerCitizen(t.app, 812);
    const res = await clerk.post(VERIFY, { identifier: residentId(812), personId: me.person.id, note: NOTE });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('identity.account_not_found');
    const blank = await clerk.post(VERIFY, {
      identifier: residentId(811),
      personId: me.person.id,
      note: '  ',
    });
    expect(blank.statusCode).toBe(400);
    expect((await root.get(`/api/people/${me.person.id}`)).json().identityVerifiedAt).toBeNull();
  });

  it('is refused to case handlers, department admins and the person themselves', async () => {
    const { client, me } = await registerCitizen(t.app, 813);
    const body = { identifier: residentId(813), personId: me.person.id, note: NOTE };
    for (const c of [handler, adminA, client]) expect((await c.post(VERIFY, body)).statusCode).toBe(403);
    expect((await root.get(`/api/people/${me.person.id}`)).json().identityVerifiedAt).toBeNull();
  });
});

describe('withdrawing a counter verification', () => {
  it('the counter department’s admin may, audited; the clerk and other departments’ admins may not', async () => {
    const { client, me } = await registerCitizen(t.app, 820);
    const id = me.person.id as string;
    const code = await counterCodeOf(client);
    expect(
      (await clerk.post(VERIFY, { identifier: residentId(820), personId: id, code, note: NOTE })).statusCode,
    ).toBe(200);
    expect((await clerk.request('DELETE', withdrawUrl(id), { reason: '看错证件' })).statusCode).toBe(403);
    expect((await adminB.request('DELETE', withdrawUrl(id), { reason: '看错证件' })).statusCode).toBe(403);

    const res = await adminA.request('DELETE', withdrawUrl(id), { reason: '看错证件' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, displayNameMasked: '张*', identityVerifiedAt: null });
    expect(res.body).not.toContain(me.person.username);
    const entry = (await auditEntries(t.ctx, 'identity.person.revoke_identity')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({ department_id: deptA, details: { kind: 'citizen', reason: '看错证件' } });
    const row = await t.ctx.db
      .selectFrom('people')
      .select(['identity_verified_by', 'identity_verified_department_id'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ identity_verified_by: null, identity_verified_department_id: null });
  });

  it('a department admin may not withdraw a verification their counters did not make', async () => {
    const { me } = await registerCitizen(t.app, 821);
    await verifyIdentity(t.ctx, systemActor(), me.person.id, NOTE);
    expect((await adminA.request('DELETE', withdrawUrl(me.person.id), { reason: 'x' })).statusCode).toBe(403);
    expect((await root.request('DELETE', withdrawUrl(me.person.id), { reason: 'x' })).statusCode).toBe(200);
  });
});

describe('records and appointment', () => {
  it('lists a department’s counter verifications to its admins only', async () => {
    const { client, me } = await registerCitizen(t.app, 830);
    const code = await counterCodeOf(client);
    await clerk.post(VERIFY, { identifier: residentId(830), personId: me.person.id, code, note: NOTE });
    const mine = await adminA.get('/api/identity-verification/records');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toContainEqual(
      expect.objectContaining({
        account: expect.objectContaining({ id: me.person.id }),
        verifiedByLabel: 'cv-clerk',
        departmentId: deptA,
        note: NOTE,
      }),
    );
    const theirs = await adminB.get('/api/identity-verification/records');
    expect(theirs.json().items.map((r: { account: { id: string } }) => r.account.id)).not.toContain(
      me.person.id,
    );
    expect((await clerk.get('/api/identity-verification/records')).statusCode).toBe(403);
  });

  it('only platform admins appoint identity verifiers', async () => {
    const person = await createStaff(t.ctx, systemActor(), {
      username: uniqueName('cvnew'),
      displayName: 'new',
      password: STRONG_PASSWORD,
      departmentId: deptA,
      roles: [],
    });
    const body = { personId: person.id, departmentId: deptA, role: 'identity_verifier' };
    expect((await adminA.post('/api/role-assignments', body)).statusCode).toBe(403);
    expect((await root.post('/api/role-assignments', body)).statusCode).toBe(201);
  });
});

describe('maskName', () => {
  it('keeps the first and last characters', () => {
    expect([
      maskName('张'),
      maskName('李四'),
      maskName('张三丰'),
      maskName('欧阳小峰'),
      maskName('Ann Lee'),
    ]).toEqual(['*', '李*', '张*丰', '欧**峰', 'A*****e']);
  });
});

describe('lookup rate limit', () => {
  it('limits lookups per caller, not per address', async () => {
    const small = await createTestApp({ rateLimitPerMinute: 100 });
    try {
      for (const u of ['rl-clerk-1', 'rl-clerk-2']) {
        const d = await createDepartment(small.ctx, systemActor(), {
          code: `RL${u.at(-1)}`,
          nameZh: '窗口',
          nameEn: 'Counter',
        });
        await createStaff(small.ctx, systemActor(), {
          username: u,
          displayName: u,
          password: STRONG_PASSWORD,
          departmentId: d.id,
          roles: ['identity_verifier'],
        });
      }
      const one = await signIn(small.app, 'rl-clerk-1');
      const two = await signIn(small.app, 'rl-clerk-2');
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1)
        statuses.push((await one.post(LOOKUP, { identifier: residentId(840 + i) })).statusCode);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      expect((await two.post(LOOKUP, { identifier: residentId(850) })).statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });
});
