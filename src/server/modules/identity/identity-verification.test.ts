import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import type { PersonDto } from '../../../contracts/identity.ts';
import { verifyAuditLog } from '../../platform/audit/index.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import {
  auditEntries,
  registerCitizen,
  STRONG_PASSWORD,
  signIn,
  uniqueName,
  uscc,
} from './identity.test-helpers.ts';
import { createDepartment, createStaff } from './index.ts';

// Real-name verification: whoever may manage an account (platform admins for residents and businesses)
// records that they checked the holder's documents, and how; once only, never for staff accounts,
// audited; a verification made in error can be withdrawn with a reason.

let t: TestApp;
let root: TestClient;
let adminA: TestClient;
let rootId: string;
let clerk: PersonDto;
const NOTE = '身份证原件核验，政务服务中心窗口';

const url = (id: string) => `/api/people/${id}/identity-verification`;

beforeAll(async () => {
  t = await createTestApp();
  const dept = await createDepartment(t.ctx, systemActor(), {
    code: 'IVA',
    nameZh: '甲局',
    nameEn: 'Bureau A',
  });
  const staff = (username: string, roles: PersonDto['roles'][number]['role'][], isPlatformAdmin = false) =>
    createStaff(t.ctx, systemActor(), {
      username,
      displayName: username,
      password: STRONG_PASSWORD,
      departmentId: dept.id,
      roles,
      isPlatformAdmin,
    });
  rootId = (await staff('iv-root', [], true)).id;
  await staff('iv-admin-a', ['dept_admin']);
  clerk = await staff('iv-clerk', ['case_handler']);
  root = await signIn(t.app, 'iv-root');
  adminA = await signIn(t.app, 'iv-admin-a');
});
afterAll(async () => t.close());

describe('POST /api/people/:id/identity-verification', () => {
  it('records who verified a resident, when and how; the account and the people list show it', async () => {
    const { client, me } = await registerCitizen(t.app, 701);
    const id = me.person.id as string;
    expect(me.person.identityVerifiedAt).toBeNull();

    const res = await root.post(url(id), { note: `  ${NOTE} ` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().identityVerifiedAt).toEqual(expect.any(String));
    const row = await t.ctx.db
      .selectFrom('people')
      .select(['identity_verified_by', 'identity_verification_note'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ identity_verified_by: rootId, identity_verification_note: NOTE });

    expect((await client.get('/api/me')).json().person.identityVerifiedAt).toBe(
      res.json().identityVerifiedAt,
    );
    const list = await root.get(`/api/people?q=${me.person.username}`);
    expect(list.json().items[0].identityVerifiedAt).toBe(res.json().identityVerifiedAt);

    const entry = (await auditEntries(t.ctx, 'identity.person.verify_identity')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({
      actor_id: rootId,
      target_type: 'person',
      request_id: expect.any(String),
      details: { kind: 'citizen', note: NOTE },
    });
    expect((await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey)).ok).toBe(true);
  });

  it('verifies business accounts too', async () => {
    const client = new TestClient(t.app);
    const reg = await client.post('/api/auth/register', {
      kind: 'business',
      username: uniqueName('biz'),
      password: STRONG_PASSWORD,
      displayName: '经办人',
      uscc: uscc(702),
      companyName: '核验测试有限公司',
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const res = await root.post(url(reg.json().person.id), { note: '营业执照原件及经办人身份证核验' });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers 409 when already verified, without changing who verified', async () => {
    const { me } = await registerCitizen(t.app, 703);
    expect((await root.post(url(me.person.id), { note: NOTE })).statusCode).toBe(200);
    const again = await root.post(url(me.person.id), { note: 'second time' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('identity.already_verified');
    const row = await t.ctx.db
      .selectFrom('people')
      .select('identity_verification_note')
      .where('id', '=', me.person.id)
      .executeTakeFirstOrThrow();
    expect(row.identity_verification_note).toBe(NOTE);
    const entries = (await auditEntries(t.ctx, 'identity.person.verify_identity')).filter(
      (e) => e.target_id === me.person.id,
    );
    expect(entries).toHaveLength(1);
  });

  it('refuses staff accounts with 400', async () => {
    const res = await root.post(url(clerk.id), { note: NOTE });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('identity.not_verifiable');
    // A department admin may manage the clerk, but staff accounts are not verified either.
    expect((await adminA.post(url(clerk.id), { note: NOTE })).json().error.code).toBe(
      'identity.not_verifiable',
    );
  });

  it('needs a note of 1 to 200 characters, not blank', async () => {
    const { me } = await registerCitizen(t.app, 704);
    for (const body of [{}, { note: '' }, { note: '   ' }, { note: 'x'.repeat(201) }]) {
      const res = await root.post(url(me.person.id), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation.failed');
    }
    expect((await root.get(`/api/people/${me.person.id}`)).json().identityVerifiedAt).toBeNull();
  });

  it('refuses department admins, the person themselves and strangers; unknown ids are 404', async () => {
    const { client, me } = await registerCitizen(t.app, 705);
    expect((await adminA.post(url(me.person.id), { note: NOTE })).statusCode).toBe(403);
    expect((await client.post(url(me.person.id), { note: NOTE })).statusCode).toBe(403);
    expect((await new TestClient(t.app).post(url(me.person.id), { note: NOTE })).statusCode).toBe(401);
    const missing = await root.post(url('00000000-0000-4000-8000-000000000000'), { note: NOTE });
    expect(missing.statusCode).toBe(404);
    expect(await auditEntries(t.ctx, 'identity.person.verify_identity')).not.toContainEqual(
      expect.objectContaining({ target_id: me.person.id }),
    );
  });
});

describe('DELETE /api/people/:id/identity-verification', () => {
  it('withdraws a verification with a reason, audited; 409 when there is none', async () => {
    const { me } = await registerCitizen(t.app, 706);
    const id = me.person.id as string;
    const none = await root.request('DELETE', url(id), { reason: '误核' });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('identity.not_verified');
    expect((await root.post(url(id), { note: NOTE })).statusCode).toBe(200);
    expect((await adminA.request('DELETE', url(id), { reason: '误核' })).statusCode).toBe(403);
    expect((await root.request('DELETE', url(id), {})).statusCode).toBe(400);

    const res = await root.request('DELETE', url(id), { reason: '核验对象有误' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().identityVerifiedAt).toBeNull();
    const entry = (await auditEntries(t.ctx, 'identity.person.revoke_identity')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({ actor_id: rootId, details: { kind: 'citizen', reason: '核验对象有误' } });
    // Verified again afterwards, as a fresh check.
    expect((await root.post(url(id), { note: NOTE })).statusCode).toBe(200);
  });
});
