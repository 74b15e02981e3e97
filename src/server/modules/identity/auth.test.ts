import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import {
  auditEntries,
  registerCitizen,
  STRONG_PASSWORD,
  signIn,
  uniqueName,
} from './identity.test-helpers.ts';
import { createApiToken, createDepartment, createStaff } from './index.ts';

const MAX_FAILURES = 3;
let t: TestApp;
let deptId: string;
let admin: TestClient;

beforeAll(async () => {
  t = await createTestApp({ loginMaxFailures: MAX_FAILURES, lockoutMinutes: 10 });
  const dept = await createDepartment(t.ctx, systemActor(), {
    code: 'AUTH',
    nameZh: '认证测试局',
    nameEn: 'Auth Bureau',
  });
  deptId = dept.id;
  await createStaff(t.ctx, systemActor(), {
    username: 'root',
    displayName: 'Root',
    password: STRONG_PASSWORD,
    departmentId: deptId,
    roles: [],
    isPlatformAdmin: true,
  });
  admin = await signIn(t.app, 'root');
});
afterAll(async () => t.close());

const login = (username: string, password: string, client = new TestClient(t.app)) =>
  client.post('/api/auth/login', { username, password });

describe('sign-in and sign-out', () => {
  it('signs in with a session cookie, shows the person and signs out', async () => {
    const { username } = await registerCitizen(t.app, 1);
    const client = new TestClient(t.app);
    const res = await login(username, STRONG_PASSWORD, client);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ mfaRequired: false });
    const cookie = res.cookies.find((c) => c.name === 'civitas_sid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    const me = await client.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ via: 'session', mfaEnrollmentRequired: false, person: { username } });
    client.csrf = me.json().csrfToken;

    const out = await client.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(client.cookie).toBeUndefined();
    // the old cookie value no longer works even if replayed
    const replay = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: cookie ? `civitas_sid=${cookie.value}` : '' },
    });
    expect(replay.statusCode).toBe(401);

    const person = me.json().person.id;
    expect((await auditEntries(t.ctx, 'identity.login')).some((e) => e.actor_id === person)).toBe(true);
    const logout = (await auditEntries(t.ctx, 'identity.logout')).find((e) => e.actor_id === person);
    expect(logout).toMatchObject({ ip: expect.any(String), request_id: expect.any(String) });
  });

  it('answers the same for an unknown user and a wrong password', async () => {
    const { username } = await registerCitizen(t.app, 2);
    const unknown = await login('nobody-here', STRONG_PASSWORD);
    const wrong = await login(username, 'Wrong-Password-1');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('auth.invalid_credentials');
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    const failed = await auditEntries(t.ctx, 'identity.login_failed');
    expect(failed.some((e) => (e.details as { reason?: string }).reason === 'unknown_user')).toBe(true);
    expect(JSON.stringify(failed)).not.toContain('Wrong-Password-1');
  });

  it('locks the account after too many failures, then an admin unlocks it', async () => {
    const { username, me } = await registerCitizen(t.app, 3);
    for (let i = 1; i < MAX_FAILURES; i++) {
      expect((await login(username, `Wrong-Password-${i}`)).statusCode).toBe(401);
    }
    const locking = await login(username, 'Wrong-Password-x');
    expect(locking.statusCode).toBe(423);
    expect(locking.json().error.code).toBe('auth.locked');
    const lockedUntil = new Date(locking.json().error.details.lockedUntil).getTime();
    expect(lockedUntil).toBeGreaterThan(Date.now() + 9 * 60_000);

    // even the right password is refused while locked
    const right = await login(username, STRONG_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect((await auditEntries(t.ctx, 'identity.locked')).some((e) => e.target_id === me.person.id)).toBe(
      true,
    );

    const shown = await admin.get(`/api/people/${me.person.id}`);
    expect(shown.json().lockedUntil).not.toBeNull();
    expect((await admin.post(`/api/people/${me.person.id}/unlock`)).statusCode).toBe(204);
    expect((await login(username, STRONG_PASSWORD)).statusCode).toBe(200);
    expect(
      (await auditEntries(t.ctx, 'identity.person.unlock')).some((e) => e.target_id === me.person.id),
    ).toBe(true);
  });

  it('resets the failure count after a successful sign-in', async () => {
    const { username } = await registerCitizen(t.app, 4);
    for (let round = 0; round < 2; round++) {
      for (let i = 1; i < MAX_FAILURES; i++)
        expect((await login(username, 'Wrong-Password-1')).statusCode).toBe(401);
      expect((await login(username, STRONG_PASSWORD)).statusCode).toBe(200);
    }
  });

  it('refuses a disabled account with 403 (after the password) and ends its sessions', async () => {
    const username = uniqueName('staff');
    const staff = await createStaff(t.ctx, systemActor(), {
      username,
      displayName: 'Staff',
      password: STRONG_PASSWORD,
      departmentId: deptId,
      roles: ['case_handler'],
    });
    const client = await signIn(t.app, username);
    const disabled = await admin.patch(`/api/people/${staff.id}`, { status: 'disabled' });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().status).toBe('disabled');
    expect((await client.get('/api/me')).statusCode).toBe(401);
    expect((await login(username, 'Wrong-Password-1')).statusCode).toBe(401);
    const res = await login(username, STRONG_PASSWORD);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.disabled');
  });
});

describe('CSRF and origin checks', () => {
  it('refuses a cookie-authenticated write without or with a wrong X-CSRF-Token, and passes it with the right one', async () => {
    const { client } = await registerCitizen(t.app, 10);
    const csrf = client.csrf!;
    client.csrf = undefined;
    const none = await client.patch('/api/me', { displayName: 'A' });
    expect(none.statusCode).toBe(403);
    expect(none.json().error.code).toBe('auth.csrf_failed');
    const wrong = await client.patch('/api/me', { displayName: 'A' }, { 'x-csrf-token': `${csrf}x` });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe('auth.csrf_failed');
    const right = await client.patch('/api/me', { displayName: 'A' }, { 'x-csrf-token': csrf });
    expect(right.statusCode).toBe(200);
    expect(right.json().person.displayName).toBe('A');
    const update = (await auditEntries(t.ctx, 'identity.profile_update')).find(
      (e) => e.actor_id === right.json().person.id,
    );
    expect(update?.details).toEqual({ fields: ['displayName'] });
  });

  it('needs no CSRF token for a Bearer-token write', async () => {
    const { me } = await registerCitizen(t.app, 11);
    const { token } = await createApiToken(t.ctx, systemActor(), me.person.id, { name: 'script' });
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/me',
      payload: { displayName: 'Via token' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ via: 'token', csrfToken: null, person: { displayName: 'Via token' } });
  });

  it('refuses a cross-origin write even with the right CSRF token', async () => {
    const { client } = await registerCitizen(t.app, 12);
    const res = await client.patch(
      '/api/me',
      { displayName: 'B' },
      { origin: 'https://evil.example', 'x-csrf-token': client.csrf! },
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.csrf_failed');
    const same = await client.patch(
      '/api/me',
      { displayName: 'B' },
      { origin: 'https://civitas.example', host: 'civitas.example' },
    );
    expect(same.statusCode).toBe(200);
  });

  it('refuses a cross-origin sign-in carrying an old cookie', async () => {
    const { client, username } = await registerCitizen(t.app, 13);
    const res = await client.post(
      '/api/auth/login',
      { username, password: STRONG_PASSWORD },
      { origin: 'https://evil.example' },
    );
    expect(res.statusCode).toBe(403);
  });
});

describe('password change', () => {
  it('changes the password with the current one, ends other sessions and keeps this one', async () => {
    const { client, username, me } = await registerCitizen(t.app, 20);
    const other = await signIn(t.app, username);
    const weak = await client.post('/api/me/password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: 'short',
    });
    expect(weak.json().error).toMatchObject({ code: 'identity.weak_password' });
    const wrong = await client.post('/api/me/password', {
      currentPassword: 'Not-The-Password-1',
      newPassword: 'Another-Horse-77',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('identity.wrong_password');
    const ok = await client.post('/api/me/password', {
      currentPassword: STRONG_PASSWORD,
      newPassword: 'Another-Horse-77',
    });
    expect(ok.statusCode).toBe(204);
    expect((await client.get('/api/me')).statusCode).toBe(200);
    expect((await other.get('/api/me')).statusCode).toBe(401);
    expect((await login(username, STRONG_PASSWORD)).statusCode).toBe(401);
    expect((await login(username, 'Another-Horse-77')).statusCode).toBe(200);
    expect(
      (await auditEntries(t.ctx, 'identity.password_change')).some((e) => e.actor_id === me.person.id),
    ).toBe(true);
  });

  it('is refused to API-token callers', async () => {
    const { me } = await registerCitizen(t.app, 21);
    const { token } = await createApiToken(t.ctx, systemActor(), me.person.id, { name: 't' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/me/password',
      payload: { currentPassword: STRONG_PASSWORD, newPassword: 'Another-Horse-77' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.session_required');
  });
});

describe('profile', () => {
  it('stores the language choice and shows it in /api/me', async () => {
    const { client } = await registerCitizen(t.app, 30);
    const res = await client.patch('/api/me', { locale: 'en' });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('en');
    expect((await client.patch('/api/me', { locale: 'not a locale' })).statusCode).toBe(400);
  });

  it('answers 401 to anonymous callers of /api/me', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.unauthenticated');
  });
});

describe('per-IP limit on sign-in', () => {
  let limited: TestApp;
  beforeAll(async () => {
    // 20 requests a minute in general gives the sign-in steps the floor of 5
    limited = await createTestApp({ rateLimitPerMinute: 20 });
  });
  afterAll(async () => limited.close());

  it('answers 429 once an address has used up its sign-in attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await new TestClient(limited.app).post('/api/auth/login', {
        username: `nobody${i}`,
        password: 'x',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const other = await limited.app.inject({ method: 'GET', url: '/api/departments' });
    expect(other.statusCode).toBe(200);
  });
});
