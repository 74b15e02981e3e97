import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestClient } from '../../../../test/support/test-app.ts';
import type { PersonDto } from '../../../contracts/identity.ts';
import { verifyAuditLog } from '../../platform/audit/index.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import {
  auditEntries,
  counterCodeOf,
  registerCitizen,
  residentId,
  STRONG_PASSWORD,
  signIn,
} from './identity.test-helpers.ts';
import { createDepartment, createStaff, verifyIdentity } from './index.ts';

// Real-name verification outside the counter. No staff member verifies an account by their word
// alone: the People page's verify route is gone and the service refuses every person (platform admins
// verify at the counter, with the holder's code); only the platform itself (demo loader) records one.
// A verification made in error can be withdrawn with a reason.

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

describe('no verification from the People page', () => {
  it('the route is gone: a platform admin cannot mark an account verified without the holder’s code', async () => {
    const { client, me } = await registerCitizen(t.app, 701);
    const id = me.person.id as string;
    const res = await root.post(url(id), { note: NOTE });
    expect(res.statusCode).toBe(404);
    expect((await client.get('/api/me')).json().person.identityVerifiedAt).toBeNull();
    expect(await auditEntries(t.ctx, 'identity.person.verify_identity')).not.toContainEqual(
      expect.objectContaining({ target_id: id }),
    );
  });

  it('the service refuses any person, platform admins included; the platform itself may, once, audited', async () => {
    const { client, me } = await registerCitizen(t.app, 702);
    const id = me.person.id as string;
    const rootActor = { ...systemActor(), personId: rootId, username: 'iv-root', via: 'session' as const };
    await expect(verifyIdentity(t.ctx, rootActor, id, NOTE)).rejects.toMatchObject({ status: 403 });

    const dto = await verifyIdentity(t.ctx, systemActor('demo-loader'), id, `  ${NOTE} `);
    expect(dto.identityVerifiedAt).toEqual(expect.any(String));
    const row = await t.ctx.db
      .selectFrom('people')
      .select(['identity_verified_by', 'identity_verification_note'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ identity_verified_by: null, identity_verification_note: NOTE });
    expect((await client.get('/api/me')).json().person.identityVerifiedAt).toBe(dto.identityVerifiedAt);
    const list = await root.get(`/api/people?q=${me.person.username}`);
    expect(list.json().items[0].identityVerifiedAt).toBe(dto.identityVerifiedAt);
    const entry = (await auditEntries(t.ctx, 'identity.person.verify_identity')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({ actor_label: 'demo-loader', details: { kind: 'citizen', note: NOTE } });
    expect((await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey)).ok).toBe(true);

    await expect(verifyIdentity(t.ctx, systemActor(), id, 'again')).rejects.toMatchObject({
      code: 'identity.already_verified',
    });
    await expect(verifyIdentity(t.ctx, systemActor(), clerk.id, NOTE)).rejects.toMatchObject({
      code: 'identity.not_verifiable',
    });
  });
});

describe('DELETE /api/people/:id/identity-verification', () => {
  it('withdraws a verification with a reason, audited; 409 when there is none', async () => {
    const { client, me } = await registerCitizen(t.app, 706);
    const id = me.person.id as string;
    const none = await root.request('DELETE', url(id), { reason: '误核' });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('identity.not_verified');
    await verifyIdentity(t.ctx, systemActor(), id, NOTE);
    expect((await adminA.request('DELETE', url(id), { reason: '误核' })).statusCode).toBe(403);
    expect((await root.request('DELETE', url(id), {})).statusCode).toBe(400);

    const res = await root.request('DELETE', url(id), { reason: '核验对象有误' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().identityVerifiedAt).toBeNull();
    const entry = (await auditEntries(t.ctx, 'identity.person.revoke_identity')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({ actor_id: rootId, details: { kind: 'citizen', reason: '核验对象有误' } });
    // Verified again afterwards, as a fresh check (at the counter, with a new code).
    expect((await client.get('/api/me')).json().person.identityVerifiedAt).toBeNull();
    const code = await counterCodeOf(client);
    const again = await root.post('/api/identity-verification', {
      identifier: residentId(706),
      personId: id,
      code,
      note: NOTE,
    });
    expect(again.statusCode, again.body).toBe(200);
  });
});
