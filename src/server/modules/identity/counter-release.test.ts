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
  uniqueName,
  uscc,
} from './identity.test-helpers.ts';

// Releasing a number from an unverified account whose holder cannot show its counter code (a
// squatter's, registered with someone else's number). The release waits out a notice period, during
// which the holder is warned at sign-in and stops it by verifying (card and code); once it takes
// effect, the account's sign-in says what happened.

let t: TestApp;
let root: TestClient;
let clerk: TestClient;
let clerkId: string;
let adminA: TestClient;
let handler: TestClient;
let deptA: string;
const NOTE = '居民身份证原件';
const VERIFY = '/api/identity-verification';
const RELEASE = '/api/identity-verification/release';
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp();
  ({ root, clerk, clerkId, adminA, handler, deptA } = await counterHall(t, 'cr'));
});
afterAll(async () => t.close());

/** Moves the end of the notice period of `id`'s pending release into the past. */
const endNoticePeriod = (id: string) =>
  t.ctx.db
    .updateTable('people')
    .set({ identifier_release_due_at: new Date(Date.now() - 1000) })
    .where('id', '=', id)
    .execute();

const signInAttempt = (username: string) =>
  new TestClient(t.app).post('/api/auth/login', { username, password: STRONG_PASSWORD });

describe('asking for a release at the counter', () => {
  it('starts a notice period: the account keeps working, its holder is warned, audited', async () => {
    const { client: squatter, me } = await registerCitizen(t.app, 920);
    const id = me.person.id as string;
    const before = Date.now();
    const res = await clerk.post(RELEASE, {
      identifier: residentId(920),
      personId: id,
      note: ' 持证本人无此账号核验码 ',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'active', identityVerifiedAt: null });
    const due = Date.parse(res.json().releaseDueAt);
    expect(t.ctx.config.identifierReleaseNoticeDays).toBe(14);
    expect(due).toBeGreaterThanOrEqual(before + 14 * DAY);
    expect(due).toBeLessThan(Date.now() + 14 * DAY + 1000);

    // Nothing is taken yet: the number is still the account's, its session still works and says
    // when the release takes effect (the web app warns at sign-in and on the account page).
    const mine = await squatter.get('/api/me');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().person).toMatchObject({
      status: 'active',
      residentIdMasked: me.person.residentIdMasked,
      identifierReleaseDueAt: res.json().releaseDueAt,
    });
    const entry = (await auditEntries(t.ctx, 'identity.person.release_requested')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({
      actor_id: clerkId,
      department_id: deptA,
      details: {
        kind: 'citizen',
        note: '持证本人无此账号核验码',
        at: 'counter',
        dueAt: res.json().releaseDueAt,
      },
    });
    expect(JSON.stringify(entry)).not.toContain(residentId(920));

    // Asked twice: 409 with the date; the lookup shows the pending release; the tick leaves it be.
    const again = await clerk.post(RELEASE, { identifier: residentId(920), personId: id, note: '再次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'identity.release_pending',
      details: { dueAt: res.json().releaseDueAt },
    });
    const found = await clerk.post('/api/identity-verification/lookup', { identifier: residentId(920) });
    expect(found.json().items[0].releaseDueAt).toBe(res.json().releaseDueAt);
    await applyDueReleases(t.ctx);
    expect((await squatter.get('/api/me')).statusCode).toBe(200);
  });

  it('takes effect after the notice period: disabled, number cleared, sessions and tokens ended, audited', async () => {
    const { client: squatter, me, username } = await registerCitizen(t.app, 925);
    const token = (await squatter.post('/api/me/tokens', { name: 'kept' })).json().token as string;
    await counterCodeOf(squatter);
    const id = me.person.id as string;
    const req = await clerk.post(RELEASE, { identifier: residentId(925), personId: id, note: '冒用' });
    expect(req.statusCode, req.body).toBe(200);
    await endNoticePeriod(id);
    expect(await applyDueReleases(t.ctx)).toBeGreaterThanOrEqual(1);
    expect(await applyDueReleases(t.ctx)).toBe(0);

    const row = await t.ctx.db
      .selectFrom('people')
      .select([
        'resident_id_enc',
        'resident_id_bidx',
        'resident_id_masked',
        'status',
        'counter_code_hash',
        'identifier_release_due_at',
        'identifier_released_at',
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      resident_id_enc: null,
      resident_id_bidx: null,
      resident_id_masked: null,
      status: 'disabled',
      counter_code_hash: null,
      identifier_release_due_at: null,
      identifier_released_at: expect.any(Date),
    });
    expect((await squatter.get('/api/me')).statusCode).toBe(401);
    const sessions = await t.ctx.db.selectFrom('sessions').select('id').where('person_id', '=', id).execute();
    expect(sessions).toEqual([]);
    const byToken = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(401);

    const entry = (await auditEntries(t.ctx, 'identity.person.release_identifier')).find(
      (e) => e.target_id === id,
    );
    expect(entry).toMatchObject({
      actor_id: null,
      actor_label: 'identifier-release',
      department_id: deptA,
      details: { kind: 'citizen', at: 'counter', requestedBy: clerkId, sessionsEnded: 1, tokensRevoked: 1 },
    });
    expect(JSON.stringify(entry)).not.toContain(residentId(925));

    // The holder's next sign-in attempt explains, after the right password only.
    const wrong = await new TestClient(t.app).post('/api/auth/login', {
      username,
      password: 'Wrong-Pass-123',
    });
    expect(wrong.json().error.code).toBe('auth.invalid_credentials');
    const signIn = await signInAttempt(username);
    expect(signIn.statusCode).toBe(403);
    expect(signIn.json().error).toMatchObject({
      code: 'auth.identifier_released',
      details: { releasedAt: row.identifier_released_at?.toISOString() },
    });
    const failed = (await auditEntries(t.ctx, 'identity.login_failed')).filter((e) => e.target_id === id);
    expect(failed.at(-1)?.details).toEqual({ reason: 'identifier_released' });
    expect((await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey)).ok).toBe(true);

    // The real holder can now register with their number, and the counter finds only their account.
    const { client: holder, me: real } = await registerCitizen(t.app, 925);
    const found = await clerk.post('/api/identity-verification/lookup', { identifier: residentId(925) });
    expect(found.json().items.map((a: { id: string }) => a.id)).toEqual([real.person.id]);
    const code = await counterCodeOf(holder);
    expect(
      (await clerk.post(VERIFY, { identifier: residentId(925), personId: real.person.id, code, note: NOTE }))
        .statusCode,
    ).toBe(200);
  });

  it('a stolen card cannot take the holder’s account: verifying with card and code ends the pending release', async () => {
    const { client: holder, me, username } = await registerCitizen(t.app, 926);
    const id = me.person.id as string;
    // Someone with the holder's (stolen) card asks for the release; they cannot show a code.
    const req = await clerk.post(RELEASE, { identifier: residentId(926), personId: id, note: '无核验码' });
    expect(req.statusCode).toBe(200);
    // Warned at sign-in, the holder makes a code and shows it with their replacement card.
    const code = await counterCodeOf(holder);
    const verified = await clerk.post(VERIFY, {
      identifier: residentId(926),
      personId: id,
      code,
      note: NOTE,
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ releaseDueAt: null, status: 'active' });
    const cancelled = (await auditEntries(t.ctx, 'identity.person.release_cancelled')).find(
      (e) => e.target_id === id,
    );
    expect(cancelled).toMatchObject({
      actor_id: clerkId,
      details: { kind: 'citizen', reason: 'verified', dueAt: req.json().releaseDueAt },
    });
    // Even with the old date forced past, nothing is released, and the holder signs in as before.
    await t.ctx.db
      .updateTable('people')
      .set({ identifier_release_due_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .where('identity_verified_at', 'is', null)
      .execute();
    await applyDueReleases(t.ctx);
    expect((await holder.get('/api/me')).json().person).toMatchObject({
      status: 'active',
      identifierReleaseDueAt: null,
      residentIdMasked: me.person.residentIdMasked,
    });
    expect((await signInAttempt(username)).statusCode).toBe(200);
  });

  it('releases one business account acting for a company, not the others', async () => {
    const code = uscc(921);
    const ids: string[] = [];
    for (const name of ['王小明', '李四']) {
      const reg = await new TestClient(t.app).post('/api/auth/register', {
        kind: 'business',
        username: uniqueName('crbiz'),
        password: STRONG_PASSWORD,
        displayName: name,
        uscc: code,
        companyName: '核验码测试有限公司',
      });
      ids.push(reg.json().person.id);
    }
    const res = await clerk.post(RELEASE, {
      identifier: code,
      personId: ids[0],
      note: '营业执照与法人身份证不符',
    });
    expect(res.statusCode, res.body).toBe(200);
    await endNoticePeriod(ids[0]!);
    await applyDueReleases(t.ctx);
    const found = await clerk.post('/api/identity-verification/lookup', { identifier: code });
    expect(found.json().items.map((a: { id: string }) => a.id)).toEqual([ids[1]]);
  });

  it('a plainly disabled account still answers auth.disabled', async () => {
    const { me, username } = await registerCitizen(t.app, 927);
    await root.patch(`/api/people/${me.person.id}`, { status: 'disabled' });
    const res = await signInAttempt(username);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.disabled');
  });

  it('never releases a verified account', async () => {
    const { client, me } = await registerCitizen(t.app, 922);
    const code = await counterCodeOf(client);
    expect(
      (await clerk.post(VERIFY, { identifier: residentId(922), personId: me.person.id, code, note: NOTE }))
        .statusCode,
    ).toBe(200);
    for (const c of [clerk, root]) {
      const res = await c.post(RELEASE, {
        identifier: residentId(922),
        personId: me.person.id,
        note: '冒用',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('identity.release_verified_account');
    }
    const row = await t.ctx.db
      .selectFrom('people')
      .select(['status', 'resident_id_bidx', 'identifier_release_due_at'])
      .where('id', '=', me.person.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'active',
      resident_id_bidx: expect.any(String),
      identifier_release_due_at: null,
    });
    expect((await client.get('/api/me')).statusCode).toBe(200);
  });

  it('is for identity verifiers and platform admins, needs the matching number and a note', async () => {
    const { client, me } = await registerCitizen(t.app, 923);
    const body = { identifier: residentId(923), personId: me.person.id, note: '冒用' };
    for (const c of [handler, adminA, client]) expect((await c.post(RELEASE, body)).statusCode).toBe(403);
    expect((await new TestClient(t.app).post(RELEASE, body)).statusCode).toBe(401);
    const other = await clerk.post(RELEASE, { ...body, identifier: residentId(924) });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('identity.account_not_found');
    expect((await clerk.post(RELEASE, { ...body, note: '   ' })).statusCode).toBe(400);
    expect(
      (await clerk.post(RELEASE, { identifier: body.identifier, personId: body.personId })).statusCode,
    ).toBe(400);
    expect((await client.get('/api/me')).json().person.identifierReleaseDueAt).toBeNull();
    expect((await root.post(RELEASE, body)).statusCode).toBe(200);
  });
});
