import { generate } from 'otplib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import {
  auditEntries,
  loadCsrf,
  registerCitizen,
  STRONG_PASSWORD,
  signIn,
  uniqueName,
} from './identity.test-helpers.ts';
import { createApiToken, createDepartment, createStaff } from './index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());
afterEach(() => {
  vi.useRealTimers();
});

/** The code an authenticator app shows `offsetSeconds` from now. */
const codeAt = (secret: string, offsetSeconds = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds });
/** A six-digit code that is certainly not `code`. */
const otherThan = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function enrol(client: TestClient) {
  const setup = await client.post('/api/me/totp/setup');
  expect(setup.statusCode).toBe(200);
  const { secret } = setup.json();
  const enabled = await client.post('/api/me/totp/enable', { code: await codeAt(secret) });
  expect(enabled.statusCode).toBe(200);
  return { secret, recoveryCodes: enabled.json().recoveryCodes as string[] };
}

/** Password step only: a client holding a pending session. */
async function passwordStep(username: string) {
  const client = new TestClient(t.app);
  const res = await client.post('/api/auth/login', { username, password: STRONG_PASSWORD });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toEqual({ mfaRequired: true });
  return client;
}

describe('two-step sign-in (TOTP)', () => {
  it('enrols with a QR code, keeps the secret encrypted and refuses a wrong first code', async () => {
    const { client, me } = await registerCitizen(t.app, 1);
    const setup = await client.post('/api/me/totp/setup');
    const { secret, otpauthUri, qrDataUrl } = setup.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Civitas:/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const row = await t.ctx.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', me.person.id)
      .executeTakeFirstOrThrow();
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    expect(row.totp_secret_enc).not.toContain(secret);
    expect(row.totp_enabled).toBe(false);
    const setupEntry = (await auditEntries(t.ctx, 'identity.totp_setup')).find(
      (e) => e.actor_id === me.person.id,
    );
    expect(setupEntry).toBeDefined();
    expect(JSON.stringify(setupEntry)).not.toContain(secret);

    const wrong = await client.post('/api/me/totp/enable', { code: otherThan(await codeAt(secret)) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('identity.invalid_totp_code');

    const ok = await client.post('/api/me/totp/enable', { code: await codeAt(secret) });
    expect(ok.statusCode).toBe(200);
    const codes: string[] = ok.json().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const after = await t.ctx.db
      .selectFrom('people')
      .selectAll()
      .where('id', '=', me.person.id)
      .executeTakeFirstOrThrow();
    expect(after.totp_enabled).toBe(true);
    expect(after.recovery_code_hashes).toHaveLength(10);
    expect(JSON.stringify(after.recovery_code_hashes)).not.toContain(codes[0]!.replace('-', ''));
    expect((await client.get('/api/me')).json().person.totpEnabled).toBe(true);
    expect((await client.post('/api/me/totp/setup')).statusCode).toBe(409);
    expect((await auditEntries(t.ctx, 'identity.totp_enable')).some((e) => e.actor_id === me.person.id)).toBe(
      true,
    );
  });

  it('asks for the second factor, refuses wrong and replayed codes, and rotates the session', async () => {
    const { client, username } = await registerCitizen(t.app, 2);
    const { secret } = await enrol(client);

    const pending = await passwordStep(username);
    const pendingCookie = pending.cookie;
    expect((await pending.get('/api/me')).statusCode).toBe(401);

    const next = await codeAt(secret, 30); // the enrolment spent the current step
    const wrong = await pending.post('/api/auth/mfa', { code: otherThan(next) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('auth.invalid_mfa_code');

    const right = await pending.post('/api/auth/mfa', { code: next });
    expect(right.statusCode).toBe(200);
    expect(right.json()).toEqual({ mfaRequired: false });
    expect(pending.cookie).not.toBe(pendingCookie);
    await loadCsrf(pending);
    expect((await pending.get('/api/me')).json().person.username).toBe(username);
    // the pending cookie did not become a full session
    const old = await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: pendingCookie! } });
    expect(old.statusCode).toBe(401);

    const again = await passwordStep(username);
    const replay = await again.post('/api/auth/mfa', { code: next });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('auth.invalid_mfa_code');

    const entries = await auditEntries(t.ctx, 'identity.mfa_failed');
    expect(entries.filter((e) => e.actor_label === username)).toHaveLength(2);
  });

  it('accepts each recovery code once', async () => {
    const { client, username } = await registerCitizen(t.app, 3);
    const { recoveryCodes } = await enrol(client);
    const first = await passwordStep(username);
    expect(
      (await first.post('/api/auth/mfa', { recoveryCode: recoveryCodes[0]!.toLowerCase() })).statusCode,
    ).toBe(200);
    const second = await passwordStep(username);
    const reused = await second.post('/api/auth/mfa', { recoveryCode: recoveryCodes[0] });
    expect(reused.statusCode).toBe(401);
    expect((await second.post('/api/auth/mfa', { recoveryCode: recoveryCodes[1] })).statusCode).toBe(200);
    const login = (await auditEntries(t.ctx, 'identity.login'))
      .filter((e) => e.actor_label === username)
      .at(-1);
    expect(login?.details).toMatchObject({ method: 'password+recovery_code', recoveryCodesLeft: 8 });
  });

  it('refuses the second step without a pending session', async () => {
    const res = await new TestClient(t.app).post('/api/auth/mfa', { code: '123456' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.mfa_not_pending');
  });

  it('locks the account after too many wrong codes', async () => {
    const { client, username } = await registerCitizen(t.app, 4);
    const { secret } = await enrol(client);
    const pending = await passwordStep(username);
    const bad = otherThan(await codeAt(secret, 30));
    const statuses: number[] = [];
    for (let i = 0; i < t.ctx.config.loginMaxFailures; i++)
      statuses.push((await pending.post('/api/auth/mfa', { code: bad })).statusCode);
    expect(statuses.at(-1)).toBe(423);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    const res = await new TestClient(t.app).post('/api/auth/login', { username, password: STRONG_PASSWORD });
    expect(res.statusCode).toBe(423);
  });

  it('regenerates recovery codes and turns the factor off with password and a fresh code', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date());
    const { client, username, me } = await registerCitizen(t.app, 5);
    const { secret, recoveryCodes } = await enrol(client);

    vi.setSystemTime(Date.now() + 60_000);
    const regenerated = await client.post('/api/me/totp/recovery-codes', { code: await codeAt(secret) });
    expect(regenerated.statusCode).toBe(200);
    const fresh: string[] = regenerated.json().recoveryCodes;
    const regen = await auditEntries(t.ctx, 'identity.recovery_codes_regenerate');
    expect(regen.some((e) => e.actor_id === me.person.id)).toBe(true);
    expect(JSON.stringify(regen)).not.toContain(fresh[0]);
    expect(fresh).not.toContain(recoveryCodes[0]);
    const pending = await passwordStep(username);
    expect((await pending.post('/api/auth/mfa', { recoveryCode: recoveryCodes[0] })).statusCode).toBe(401);

    vi.setSystemTime(Date.now() + 60_000);
    const code = await codeAt(secret);
    const wrongPassword = await client.post('/api/me/totp/disable', { password: 'Wrong-Password-9', code });
    expect(wrongPassword.json().error.code).toBe('identity.wrong_password');
    const off = await client.post('/api/me/totp/disable', { password: STRONG_PASSWORD, code });
    expect(off.statusCode).toBe(204);
    const login = await new TestClient(t.app).post('/api/auth/login', {
      username,
      password: STRONG_PASSWORD,
    });
    expect(login.json()).toEqual({ mfaRequired: false });
    expect(
      (await auditEntries(t.ctx, 'identity.totp_disable')).some((e) => e.actor_id === me.person.id),
    ).toBe(true);
  });
});

describe('required second factor for staff', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await createTestApp({ requireStaffMfa: true });
  });
  afterAll(async () => strict.close());

  it('keeps staff without a second factor to their own account until they enrol', async () => {
    const dept = await createDepartment(strict.ctx, systemActor(), {
      code: 'MFA',
      nameZh: '安全局',
      nameEn: 'Security',
    });
    const username = uniqueName('admin');
    const staff = await createStaff(strict.ctx, systemActor(), {
      username,
      displayName: 'Admin',
      password: STRONG_PASSWORD,
      departmentId: dept.id,
      roles: ['dept_admin'],
    });
    const client = await signIn(strict.app, username);
    expect((await client.get('/api/me')).json().mfaEnrollmentRequired).toBe(true);
    const blocked = await client.get('/api/people');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('auth.mfa_enrollment_required');

    // a token made before enrolling does not get around the rule
    const { token } = await createApiToken(strict.ctx, systemActor(), staff.id, { name: 't' });
    const viaToken = await strict.app.inject({
      method: 'GET',
      url: '/api/people',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.json().error.code).toBe('auth.mfa_enrollment_required');

    const setup = await client.post('/api/me/totp/setup');
    await client.post('/api/me/totp/enable', { code: await codeAt(setup.json().secret) });
    expect((await client.get('/api/me')).json().mfaEnrollmentRequired).toBe(false);
    expect((await client.get('/api/people')).statusCode).toBe(200);
  });

  it('does not apply to citizens', async () => {
    const { client } = await registerCitizen(strict.app, 9);
    expect((await client.get('/api/me')).json().mfaEnrollmentRequired).toBe(false);
    expect((await client.get('/api/people')).json().error.code).toBe('auth.forbidden');
  });
});
