import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { appendAudit, checkpointIfNeeded, verifyAuditLog } from '../../platform/audit/index.ts';
import { randomToken, sha256Hex } from '../../platform/crypto.ts';
import type { DepartmentRole } from '../../platform/db-schema.ts';

let t: TestApp;
// Department tree: city ─┬─ health ── clinic
//                        └─ transport
const dept: Record<'city' | 'health' | 'clinic' | 'transport', { id: string; path: string }> = {} as never;
const tokens: Record<string, string> = {};

async function addDepartment(name: keyof typeof dept, parent?: keyof typeof dept) {
  const id = randomUUID();
  const path = parent ? `${dept[parent].path}/${id}` : id;
  await t.ctx.db
    .insertInto('departments')
    .values({
      id,
      code: name.toUpperCase(),
      name_zh: name,
      name_en: name,
      parent_id: parent ? dept[parent].id : null,
      path,
    })
    .execute();
  dept[name] = { id, path };
}

/** A person with an API token (rows written directly: this module must not depend on identity's internals). */
async function addPerson(
  username: string,
  opts: { kind?: 'citizen' | 'staff'; admin?: boolean; roles?: [keyof typeof dept, DepartmentRole][] } = {},
) {
  const id = randomUUID();
  await t.ctx.db
    .insertInto('people')
    .values({
      id,
      username,
      kind: opts.kind ?? 'staff',
      display_name: username,
      password_hash: 'unused',
      is_platform_admin: opts.admin ?? false,
    })
    .execute();
  for (const [d, role] of opts.roles ?? []) {
    await t.ctx.db
      .insertInto('role_assignments')
      .values({ id: randomUUID(), person_id: id, department_id: dept[d].id, role })
      .execute();
  }
  const token = `cvt_${randomToken(24)}`;
  await t.ctx.db
    .insertInto('api_tokens')
    .values({
      id: randomUUID(),
      person_id: id,
      name: 'test',
      token_hash: sha256Hex(token),
      prefix: token.slice(0, 8),
    })
    .execute();
  tokens[username] = token;
  return id;
}

const get = (who: string | undefined, url: string) =>
  t.app.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });
const post = (who: string | undefined, url: string) =>
  t.app.inject({ method: 'POST', url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });

async function record(action: string, d: keyof typeof dept | null, actor = 'clerk', targetId?: string) {
  await t.ctx.db.transaction().execute((trx) =>
    appendAudit(trx, {
      action,
      actor: { id: null, label: actor },
      departmentId: d ? dept[d].id : null,
      target: targetId ? { type: 'thing', id: targetId } : undefined,
      details: { note: `${action} in ${d ?? 'platform'}` },
    }),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  await addDepartment('city');
  await addDepartment('health', 'city');
  await addDepartment('clinic', 'health');
  await addDepartment('transport', 'city');
  await addPerson('admin', { admin: true });
  await addPerson('health-auditor', { roles: [['health', 'auditor']] });
  await addPerson('clinic-auditor', { roles: [['clinic', 'auditor']] });
  await addPerson('health-admin', { roles: [['health', 'dept_admin']] });
  await addPerson('resident', { kind: 'citizen' });

  await record('identity.login', null, 'resident');
  await record('catalog.dataset.create', 'health', 'clerk', 'ds-1');
  await record('catalog.dataset.update', 'clinic', 'nurse', 'ds-2');
  await record('service.application.accept', 'transport', 'driver', 'app-1');
  await record('catalog.dataset.delete', 'city', 'mayor', 'ds-1');
  await record('catalog_x.other', 'health');
});
afterAll(async () => t.close());

const actions = (res: { json(): unknown }) =>
  (res.json() as { items: { action: string }[] }).items.map((e) => e.action);

describe('GET /api/audit', () => {
  it('shows a platform admin every entry, newest first, with the stored hash', async () => {
    const res = await get('admin', '/api/audit');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(actions(res)).toEqual([
      'catalog_x.other',
      'catalog.dataset.delete',
      'service.application.accept',
      'catalog.dataset.update',
      'catalog.dataset.create',
      'identity.login',
    ]);
    expect(body.items[0]).toMatchObject({ seq: 6, actorLabel: 'clerk', departmentId: dept.health.id });
    expect(body.items[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(body.nextBefore).toBeNull();
  });

  it('limits a department auditor to their department and its sub-departments', async () => {
    const health = await get('health-auditor', '/api/audit');
    expect(health.statusCode).toBe(200);
    expect(actions(health)).toEqual(['catalog_x.other', 'catalog.dataset.update', 'catalog.dataset.create']);

    const clinic = await get('clinic-auditor', '/api/audit');
    expect(actions(clinic)).toEqual(['catalog.dataset.update']);
    // asking for another subtree gives nothing rather than widening the scope
    const outside = await get('clinic-auditor', `/api/audit?departmentId=${dept.transport.id}`);
    expect(outside.statusCode).toBe(200);
    expect(actions(outside)).toEqual([]);
  });

  it('filters by action prefix (literally: "_" is not a wildcard), actor, target and department subtree', async () => {
    expect(actions(await get('admin', '/api/audit?action=catalog.dataset.'))).toEqual([
      'catalog.dataset.delete',
      'catalog.dataset.update',
      'catalog.dataset.create',
    ]);
    expect(actions(await get('admin', '/api/audit?action=catalog_'))).toEqual(['catalog_x.other']);
    expect(actions(await get('admin', '/api/audit?actor=nurse'))).toEqual(['catalog.dataset.update']);
    expect(actions(await get('admin', '/api/audit?targetId=ds-1'))).toEqual([
      'catalog.dataset.delete',
      'catalog.dataset.create',
    ]);
    expect(actions(await get('admin', `/api/audit?departmentId=${dept.health.id}`))).toEqual([
      'catalog_x.other',
      'catalog.dataset.update',
      'catalog.dataset.create',
    ]);
  });

  it('filters by time range', async () => {
    await sql`update audit_log set at = '2020-01-01T00:00:00Z' where seq <= 2`.execute(t.ctx.db);
    try {
      const old = await get('admin', '/api/audit?to=2021-01-01T00:00:00Z');
      expect(actions(old)).toEqual(['catalog.dataset.create', 'identity.login']);
      const recent = await get('admin', '/api/audit?from=2021-01-01T00:00:00Z&limit=2');
      expect(actions(recent)).toEqual(['catalog_x.other', 'catalog.dataset.delete']);
      const backwards = await get('admin', '/api/audit?from=2022-01-01T00:00:00Z&to=2021-01-01T00:00:00Z');
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().error.code).toBe('audit.bad_range');
    } finally {
      // put the original timestamps back is impossible (they are hashed); rebuild the rows instead
      await sql`delete from audit_log`.execute(t.ctx.db);
      await sql`update audit_head set seq = 0, hash = ${'0'.repeat(64)}`.execute(t.ctx.db);
      await record('identity.login', null, 'resident');
      await record('catalog.dataset.create', 'health', 'clerk', 'ds-1');
      await record('catalog.dataset.update', 'clinic', 'nurse', 'ds-2');
      await record('service.application.accept', 'transport', 'driver', 'app-1');
      await record('catalog.dataset.delete', 'city', 'mayor', 'ds-1');
      await record('catalog_x.other', 'health');
    }
  });

  it('pages by sequence number without gaps or repeats', async () => {
    const seen: number[] = [];
    let url = '/api/audit?limit=4';
    for (;;) {
      const page = (await get('admin', url)).json() as {
        items: { seq: number }[];
        nextBefore: number | null;
      };
      seen.push(...page.items.map((e) => e.seq));
      if (page.nextBefore === null) break;
      url = `/api/audit?limit=4&before=${page.nextBefore}`;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('refuses anonymous callers with 401 and people without an audit role with 403', async () => {
    expect((await get(undefined, '/api/audit')).statusCode).toBe(401);
    expect((await get('resident', '/api/audit')).statusCode).toBe(403);
    expect((await get('health-admin', '/api/audit')).statusCode).toBe(403);
  });

  it('rejects malformed filters', async () => {
    expect((await get('admin', '/api/audit?limit=0')).statusCode).toBe(400);
    expect((await get('admin', '/api/audit?departmentId=nope')).statusCode).toBe(400);
    expect((await get('admin', '/api/audit?from=yesterday')).statusCode).toBe(400);
  });
});

describe('POST /api/audit/verify', () => {
  it('verifies the chain and records who verified it and the result', async () => {
    const res = await post('health-auditor', '/api/audit/verify');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, verified: 6, lastSeq: 6, checkpointsChecked: 0 });
    const entry = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('entry_id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'audit.verify', actor_label: 'health-auditor' });
    expect(JSON.parse(entry.details)).toMatchObject({ ok: true, verified: 6 });
  });

  it('names the first broken entry of a tampered log', async () => {
    await sql`update audit_log set details = '{"note":"edited"}' where seq = 3`.execute(t.ctx.db);
    try {
      const res = await post('admin', '/api/audit/verify');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ ok: false, verified: 2, problem: { seq: 3, kind: 'changed' } });
    } finally {
      await sql`update audit_log set details = ${JSON.stringify({ note: 'catalog.dataset.update in clinic' })} where seq = 3`.execute(
        t.ctx.db,
      );
    }
    expect((await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey)).ok).toBe(true);
  });

  it('is refused to anonymous callers and non-auditors', async () => {
    expect((await post(undefined, '/api/audit/verify')).statusCode).toBe(401);
    expect((await post('health-admin', '/api/audit/verify')).statusCode).toBe(403);
  });
});

describe('GET /api/audit/checkpoints and the public key', () => {
  it('lists signed checkpoints that verify with the published key', async () => {
    await checkpointIfNeeded(t.ctx.db, t.ctx.signer);
    await record('catalog.dataset.create', 'health');
    await checkpointIfNeeded(t.ctx.db, t.ctx.signer);
    const res = await get('clinic-auditor', '/api/audit/checkpoints?limit=1');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.items).toHaveLength(1);
    expect(page.nextBefore).toBe(page.items[0].seq);
    const older = (await get('clinic-auditor', `/api/audit/checkpoints?before=${page.nextBefore}`)).json();
    expect(older.items).toHaveLength(1);
    expect(older.nextBefore).toBeNull();

    const key = await t.app.inject({ method: 'GET', url: '/.well-known/civitas-audit-key' });
    expect(key.statusCode).toBe(200);
    const { publicKeyPem, jwk, keyId, algorithm } = key.json();
    expect(algorithm).toBe('Ed25519');
    expect(keyId).toBe(t.ctx.signer.keyId);
    const { createPublicKey, verify } = await import('node:crypto');
    for (const publicKey of [createPublicKey(publicKeyPem), createPublicKey({ key: jwk, format: 'jwk' })]) {
      const cp = page.items[0];
      const message = `civitas-audit-checkpoint/v1\n${cp.seq}\n${cp.hash}\n${cp.at}`;
      expect(verify(null, Buffer.from(message), publicKey, Buffer.from(cp.signature, 'base64'))).toBe(true);
    }
  });

  it('refuses checkpoints to non-auditors', async () => {
    expect((await get(undefined, '/api/audit/checkpoints')).statusCode).toBe(401);
    expect((await get('resident', '/api/audit/checkpoints')).statusCode).toBe(403);
  });

  it('documents the routes in OpenAPI under the audit tag', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const [path, method] of [
      ['/api/audit', 'get'],
      ['/api/audit/verify', 'post'],
      ['/api/audit/checkpoints', 'get'],
      ['/.well-known/civitas-audit-key', 'get'],
    ] as const) {
      expect(spec.paths[path][method].tags).toEqual(['audit']);
      expect(spec.paths[path][method].responses['200']).toBeDefined();
    }
  });
});
