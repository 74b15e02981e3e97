import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { verifyAuditLog } from '../../platform/audit/index.ts';
import { COUNTER_CODE_ALPHABET } from './counter-code.service.ts';
import {
  auditEntries,
  counterCodeOf,
  counterHall,
  registerCitizen,
  residentId,
} from './identity.test-helpers.ts';

// Proof of account control at the counter: the holder's one-time code (made on their account page)
// is needed to verify, wrong codes count and void it. Releasing a number from an account whose
// holder cannot show it is tested in counter-release.test.ts.

let t: TestApp;
let root: TestClient;
let clerk: TestClient;
let clerkId: string;
let handler: TestClient;
let deptA: string;
const NOTE = '居民身份证原件';
const VERIFY = '/api/identity-verification';
const CODE = '/api/me/identity-verification/code';

beforeAll(async () => {
  t = await createTestApp();
  ({ root, clerk, clerkId, handler, deptA } = await counterHall(t, 'cc'));
});
afterAll(async () => t.close());

const codeColumns = (id: string) =>
  t.ctx.db
    .selectFrom('people')
    .select(['counter_code_hash', 'counter_code_expires_at', 'counter_code_failures', 'identity_verified_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

const refusals = async (id: string) =>
  (await auditEntries(t.ctx, 'identity.person.counter_code_refused')).filter((e) => e.target_id === id);

describe('the counter code on the account page', () => {
  it('is 8 unambiguous characters, valid 15 minutes, stored only as a hash, and its making is audited', async () => {
    const { client, me } = await registerCitizen(t.app, 901);
    const before = Date.now();
    const res = await client.post(CODE);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { code, expiresAt } = res.json();
    const chars = `[${COUNTER_CODE_ALPHABET}]`;
    expect(code).toMatch(new RegExp(`^${chars}{4}-${chars}{4}$`));
    expect(COUNTER_CODE_ALPHABET).not.toMatch(/[01ILO]/);
    const ms = Date.parse(expiresAt) - before;
    expect(ms).toBeGreaterThan(14 * 60_000);
    expect(ms).toBeLessThanOrEqual(15 * 60_000 + 5_000);

    const row = await codeColumns(me.person.id);
    expect(row.counter_code_hash).toBeTruthy();
    expect(row.counter_code_hash).not.toContain(code.replace('-', ''));
    expect(new Date(row.counter_code_expires_at as Date).toISOString()).toBe(expiresAt);
    const entry = (await auditEntries(t.ctx, 'identity.counter_code_create')).find(
      (e) => e.target_id === me.person.id,
    );
    expect(entry).toMatchObject({ actor_id: me.person.id, details: { expiresAt, replaced: false } });
    expect(JSON.stringify(entry)).not.toContain(code.replace('-', ''));
  });

  it('a new code replaces the old one: the old no longer verifies, the new one does', async () => {
    const { client, me } = await registerCitizen(t.app, 902);
    const old = await counterCodeOf(client);
    let fresh = await counterCodeOf(client);
    while (fresh === old) fresh = await counterCodeOf(client);
    const entries = (await auditEntries(t.ctx, 'identity.counter_code_create')).filter(
      (e) => e.target_id === me.person.id,
    );
    expect(entries.at(-1)?.details).toMatchObject({ replaced: true });

    const body = { identifier: residentId(902), personId: me.person.id, note: NOTE };
    const withOld = await clerk.post(VERIFY, { ...body, code: old });
    expect(withOld.statusCode).toBe(400);
    expect(withOld.json().error.code).toBe('identity.counter_code_wrong');
    const withNew = await clerk.post(VERIFY, { ...body, code: fresh });
    expect(withNew.statusCode, withNew.body).toBe(200);
  });

  it('is only for a signed-in, unverified resident or business, in a browser session', async () => {
    expect((await new TestClient(t.app).post(CODE)).statusCode).toBe(401);
    const staffRes = await handler.post(CODE);
    expect(staffRes.statusCode).toBe(403);

    const { client, me } = await registerCitizen(t.app, 903);
    const minted = await client.post('/api/me/tokens', { name: 'script' });
    expect(minted.statusCode).toBe(201);
    const viaToken = new TestClient(t.app);
    viaToken.bearer = minted.json().token;
    const tokenRes = await viaToken.post(CODE);
    expect(tokenRes.statusCode).toBe(403);
    expect(tokenRes.json().error.code).toBe('auth.session_required');

    const code = await counterCodeOf(client);
    expect(
      (await clerk.post(VERIFY, { identifier: residentId(903), personId: me.person.id, code, note: NOTE }))
        .statusCode,
    ).toBe(200);
    const verified = await client.post(CODE);
    expect(verified.statusCode).toBe(409);
    expect(verified.json().error.code).toBe('identity.already_verified');
  });
});

describe('verifying needs the holder’s code', () => {
  it('refuses without a code, or when none is in force, and audits the refusal', async () => {
    const { me } = await registerCitizen(t.app, 910);
    const body = { identifier: residentId(910), personId: me.person.id, note: NOTE };
    const missing = await clerk.post(VERIFY, body);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('identity.counter_code_required');
    const none = await clerk.post(VERIFY, { ...body, code: 'ABCD-EFGH' });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('identity.no_counter_code');
    expect((await codeColumns(me.person.id)).identity_verified_at).toBeNull();
    expect((await refusals(me.person.id)).map((e) => e.details)).toEqual([
      { kind: 'citizen', reason: 'missing' },
      { kind: 'citizen', reason: 'none' },
    ]);
    expect((await refusals(me.person.id))[0]).toMatchObject({ actor_id: clerkId, department_id: deptA });
  });

  it('counts wrong codes: the fifth voids the code, so the right one no longer works', async () => {
    const { client, me } = await registerCitizen(t.app, 911);
    const code = await counterCodeOf(client);
    const wrong = code.startsWith('A') ? 'BBBB-BBBB' : 'AAAA-AAAA';
    const body = { identifier: residentId(911), personId: me.person.id, note: NOTE };
    const left: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await clerk.post(VERIFY, { ...body, code: wrong });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('identity.counter_code_wrong');
      left.push(res.json().error.details.attemptsLeft);
      if (i === 0) expect((await codeColumns(me.person.id)).counter_code_failures).toBe(1);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expect((await codeColumns(me.person.id)).counter_code_hash).toBeNull();
    const right = await clerk.post(VERIFY, { ...body, code });
    expect(right.statusCode).toBe(409);
    expect(right.json().error.code).toBe('identity.no_counter_code');
    expect((await codeColumns(me.person.id)).identity_verified_at).toBeNull();
    const reasons = (await refusals(me.person.id)).map((e) => e.details);
    expect(reasons.filter((d) => d.reason === 'wrong')).toHaveLength(5);
    expect(reasons.at(-1)).toEqual({ kind: 'citizen', reason: 'none' });
    expect((await verifyAuditLog(t.ctx.db, t.ctx.signer.publicKey)).ok).toBe(true);

    // A new code starts a new budget.
    const again = await counterCodeOf(client);
    expect((await clerk.post(VERIFY, { ...body, code: again })).statusCode).toBe(200);
  });

  it('refuses an expired code', async () => {
    const { client, me } = await registerCitizen(t.app, 912);
    const code = await counterCodeOf(client);
    await t.ctx.db
      .updateTable('people')
      .set({ counter_code_expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', me.person.id)
      .execute();
    const res = await clerk.post(VERIFY, {
      identifier: residentId(912),
      personId: me.person.id,
      code,
      note: NOTE,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('identity.no_counter_code');
    expect((await codeColumns(me.person.id)).identity_verified_at).toBeNull();
  });

  it('accepts the code however it is typed, and uses it up', async () => {
    const { client, me } = await registerCitizen(t.app, 913);
    const code = await counterCodeOf(client);
    const body = { identifier: residentId(913), personId: me.person.id, note: NOTE };
    const typed = ` ${code.replace('-', ' ').toLowerCase()} `;
    expect((await clerk.post(VERIFY, { ...body, code: typed })).statusCode).toBe(200);
    expect((await codeColumns(me.person.id)).counter_code_hash).toBeNull();
    // Withdrawn by mistake and presented again: the used code does not work a second time.
    expect(
      (await root.request('DELETE', `/api/people/${me.person.id}/identity-verification`, { reason: '误' }))
        .statusCode,
    ).toBe(200);
    const reuse = await clerk.post(VERIFY, { ...body, code });
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().error.code).toBe('identity.no_counter_code');
  });

  it('does not spend tries on an account that does not hold the identifier', async () => {
    const { client, me } = await registerCitizen(t.app, 914);
    await counterCodeOf(client);
    const res = await clerk.post(VERIFY, {
      identifier: residentId(915),
      personId: me.person.id,
      code: 'AAAA-AAAA',
      note: NOTE,
    });
    expect(res.statusCode).toBe(404);
    expect((await codeColumns(me.person.id)).counter_code_failures).toBe(0);
  });
});
