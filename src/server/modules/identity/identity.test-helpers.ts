import type { FastifyInstance } from 'fastify';
import { type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { residentIdCheckChar, usccCheckChar } from '../../../contracts/identifiers.ts';
import type { DepartmentRoleName } from '../../../contracts/identity.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { createDepartment, createStaff } from './index.ts';

// Factories for identity tests: valid identifiers, strong passwords, signed-in clients.

export const STRONG_PASSWORD = 'Correct-Horse-42';

let serial = 0;
/** A unique lower-case username with the given stem. */
export const uniqueName = (stem = 'user') => `${stem}${Date.now().toString(36)}${(serial++).toString(36)}`;

/** A valid GB 11643 resident ID (Beijing Dongcheng, born 1990-03-07) with the given 3-digit sequence. */
export function residentId(sequence: number): string {
  const first17 = `11010119900307${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** A valid GB 32100 unified social credit code (enterprise, Beijing Haidian) with the given number. */
export function uscc(n: number): string {
  const first17 = `91110108${String(n % 1e9).padStart(9, '0')}`;
  return first17 + usccCheckChar(first17);
}

/** Signs in through the HTTP API and returns a client holding the session cookie and CSRF token. */
export async function signIn(
  app: FastifyInstance,
  username: string,
  password = STRONG_PASSWORD,
): Promise<TestClient> {
  const client = new TestClient(app);
  const res = await client.post('/api/auth/login', { username, password });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  await loadCsrf(client);
  return client;
}

/** Fetches the CSRF token of the client's session from GET /api/me. */
export async function loadCsrf(client: TestClient): Promise<void> {
  const me = await client.get('/api/me');
  if (me.statusCode !== 200) throw new Error(`GET /api/me failed: ${me.statusCode} ${me.body}`);
  client.csrf = me.json().csrfToken ?? undefined;
}

/** Registers a citizen through the API; returns the signed-in client and the response body. */
export async function registerCitizen(
  app: FastifyInstance,
  sequence: number,
  username = uniqueName('citizen'),
) {
  const client = new TestClient(app);
  const res = await client.post('/api/auth/register', {
    kind: 'citizen',
    username,
    password: STRONG_PASSWORD,
    displayName: '张三',
    residentId: residentId(sequence),
  });
  if (res.statusCode !== 201) throw new Error(`registration failed: ${res.statusCode} ${res.body}`);
  client.csrf = res.json().csrfToken;
  return { client, me: res.json(), username };
}

/** Makes the signed-in holder's one-time counter code (what they show the clerk with their card). */
export async function counterCodeOf(client: TestClient): Promise<string> {
  const res = await client.post('/api/me/identity-verification/code');
  if (res.statusCode !== 200) throw new Error(`counter code failed: ${res.statusCode} ${res.body}`);
  return res.json().code;
}

/** Audit entries of an action, oldest first. */
export async function auditEntries(ctx: AppContext, action: string) {
  const rows = await ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .where('action', '=', action)
    .orderBy('entry_id')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
}

/**
 * A service hall for counter-verification tests: department A (the hall) and B beside it, with a
 * platform admin, an identity verifier, each department's admin and a case handler, signed in.
 * Usernames start with `prefix`, department codes with its upper case.
 */
export async function counterHall(t: TestApp, prefix: string) {
  const code = prefix.toUpperCase();
  const a = await createDepartment(t.ctx, systemActor(), {
    code: `${code}A`,
    nameZh: '政务服务中心',
    nameEn: 'Service hall',
  });
  const b = await createDepartment(t.ctx, systemActor(), {
    code: `${code}B`,
    nameZh: '乙局',
    nameEn: 'Bureau B',
  });
  const staff = async (name: string, departmentId: string, roles: DepartmentRoleName[], admin = false) => {
    const username = `${prefix}-${name}`;
    const { id } = await createStaff(t.ctx, systemActor(), {
      username,
      displayName: username,
      password: STRONG_PASSWORD,
      departmentId,
      roles,
      isPlatformAdmin: admin,
    });
    return { id, client: await signIn(t.app, username) };
  };
  const clerk = await staff('clerk', a.id, ['identity_verifier']);
  return {
    deptA: a.id,
    root: (await staff('root', a.id, [], true)).client,
    clerk: clerk.client,
    clerkId: clerk.id,
    adminA: (await staff('admin-a', a.id, ['dept_admin'])).client,
    adminB: (await staff('admin-b', b.id, ['dept_admin'])).client,
    handler: (await staff('handler', a.id, ['case_handler'])).client,
  };
}
