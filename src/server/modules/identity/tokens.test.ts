import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import { auditEntries, registerCitizen, STRONG_PASSWORD, signIn } from './identity.test-helpers.ts';
import { createApiToken, createDepartment, createStaff } from './index.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const withToken = (token: string, method: 'GET' | 'DELETE' | 'POST' = 'GET', url = '/api/me') =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` } });

describe('API tokens', () => {
  it('creates a token shown once, lists it without the secret, authenticates with it and revokes it', async () => {
    const { client, me } = await registerCitizen(t.app, 1);
    const created = await client.post('/api/me/tokens', { name: 'nightly export', expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token).toMatch(/^cvt_[A-Za-z0-9_-]{40,}$/);
    expect(apiToken).toMatchObject({
      name: 'nightly export',
      personId: me.person.id,
      revokedAt: null,
      prefix: token.slice(0, 12),
    });
    expect(new Date(apiToken.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);

    const stored = await t.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', apiToken.id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const list = await client.get('/api/me/tokens');
    expect(list.json().map((x: { id: string }) => x.id)).toEqual([apiToken.id]);
    expect(list.body).not.toContain(token);

    const viaToken = await withToken(token);
    expect(viaToken.statusCode).toBe(200);
    expect(viaToken.json()).toMatchObject({ via: 'token', person: { id: me.person.id } });

    expect((await client.delete(`/api/me/tokens/${apiToken.id}`)).statusCode).toBe(204);
    const revoked = await withToken(token);
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('auth.invalid_token');
    expect((await client.get('/api/me/tokens')).json()[0].revokedAt).not.toBeNull();

    expect(
      (await auditEntries(t.ctx, 'identity.token.create')).some((e) => e.target_id === apiToken.id),
    ).toBe(true);
    const revokes = await auditEntries(t.ctx, 'identity.token.revoke');
    expect(revokes.some((e) => e.target_id === apiToken.id)).toBe(true);
    expect(JSON.stringify(await auditEntries(t.ctx, 'identity.token.create'))).not.toContain(token);
  });

  it('refuses an expired token', async () => {
    const { me } = await registerCitizen(t.app, 2);
    const { token, apiToken } = await createApiToken(t.ctx, systemActor(), me.person.id, {
      name: 'old',
      expiresInDays: 1,
    });
    expect((await withToken(token)).statusCode).toBe(200);
    await sql`update api_tokens set expires_at = now() - interval '1 minute' where id = ${apiToken.id}`.execute(
      t.ctx.db,
    );
    const res = await withToken(token);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.invalid_token');
  });

  it('refuses a made-up token and a malformed Authorization header', async () => {
    expect((await withToken('cvt_doesnotexist')).statusCode).toBe(401);
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: 'Bearer nonsense' },
    });
    expect(res.statusCode).toBe(401);
  });

  it("does not let a holder revoke someone else's token through /api/me/tokens", async () => {
    const a = await registerCitizen(t.app, 3);
    const b = await registerCitizen(t.app, 4);
    const { token, apiToken } = await createApiToken(t.ctx, systemActor(), b.me.person.id, { name: 'b' });
    const res = await a.client.delete(`/api/me/tokens/${apiToken.id}`);
    expect(res.statusCode).toBe(404);
    expect((await withToken(token)).statusCode).toBe(200);
  });

  it('does not let a token mint more tokens', async () => {
    const { me } = await registerCitizen(t.app, 5);
    const { token } = await createApiToken(t.ctx, systemActor(), me.person.id, { name: 'x' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      payload: { name: 'child' },
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.session_required');
  });

  it('lets platform admins list and revoke every token', async () => {
    const dept = await createDepartment(t.ctx, systemActor(), {
      code: 'TOK',
      nameZh: '令牌局',
      nameEn: 'Token Office',
    });
    await createStaff(t.ctx, systemActor(), {
      username: 'tokadmin',
      displayName: 'Admin',
      password: STRONG_PASSWORD,
      departmentId: dept.id,
      roles: [],
      isPlatformAdmin: true,
    });
    const admin = await signIn(t.app, 'tokadmin');
    const { me, client } = await registerCitizen(t.app, 6);
    const { token, apiToken } = await createApiToken(t.ctx, systemActor(), me.person.id, {
      name: 'citizen script',
    });
    const all = await admin.get('/api/tokens');
    expect(all.statusCode).toBe(200);
    expect(all.json().find((x: { id: string }) => x.id === apiToken.id)).toMatchObject({
      username: me.person.username,
    });
    expect((await client.get('/api/tokens')).statusCode).toBe(403);
    expect((await client.delete(`/api/tokens/${apiToken.id}`)).statusCode).toBe(403);
    expect((await admin.delete(`/api/tokens/${apiToken.id}`)).statusCode).toBe(204);
    expect((await withToken(token)).statusCode).toBe(401);
    expect((await admin.delete('/api/tokens/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
