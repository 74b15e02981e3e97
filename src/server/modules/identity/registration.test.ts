import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClient } from '../../../../test/support/test-app.ts';
import { auditEntries, residentId, STRONG_PASSWORD, uniqueName, uscc } from './identity.test-helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const register = (body: Record<string, unknown>) => new TestClient(t.app).post('/api/auth/register', body);
const citizen = (over: Record<string, unknown> = {}) => ({
  kind: 'citizen',
  username: uniqueName('c'),
  password: STRONG_PASSWORD,
  displayName: '李四',
  residentId: residentId(1),
  ...over,
});

describe('registration', () => {
  it('registers a citizen, signs them in and shows only the masked resident ID', async () => {
    const id = residentId(123);
    const client = new TestClient(t.app);
    const res = await client.post('/api/auth/register', citizen({ residentId: id, username: 'Wang.Wu' }));
    expect(res.statusCode).toBe(201);
    const me = res.json();
    expect(me.via).toBe('session');
    expect(me.csrfToken).toEqual(expect.any(String));
    expect(me.person).toMatchObject({ username: 'wang.wu', kind: 'citizen', usccMasked: null, roles: [] });
    expect(me.person.residentIdMasked).toBe(`1101**********${id.slice(-4)}`);
    expect(res.body).not.toContain(id);

    // the cookie works, and GET /api/me never shows the identifier either
    const again = await client.get('/api/me');
    expect(again.statusCode).toBe(200);
    expect(again.body).not.toContain(id);

    const row = await t.ctx.db
      .selectFrom('people')
      .selectAll()
      .where('username', '=', 'wang.wu')
      .executeTakeFirstOrThrow();
    expect(row.resident_id_enc).not.toContain(id);
    expect(row.resident_id_enc).toMatch(/^v1\./);
    expect(t.ctx.cipher.decrypt(row.resident_id_enc!)).toBe(id);
    expect(row.resident_id_bidx).toBe(t.ctx.cipher.blindIndex('resident_id', id));
    expect(row.password_hash).toMatch(/^\$argon2id\$/);

    const [entry] = (await auditEntries(t.ctx, 'identity.register')).filter(
      (e) => e.target_id === me.person.id,
    );
    expect(entry).toMatchObject({ actor_id: me.person.id, target_type: 'person' });
    expect(JSON.stringify(entry)).not.toContain(id);
    expect(JSON.stringify(entry)).not.toContain(STRONG_PASSWORD);
  });

  it('accepts a resident ID typed with spaces and a lower-case x', async () => {
    let id = residentId(0);
    for (let i = 2; !id.endsWith('X'); i++) id = residentId(i);
    const typed = `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14).toLowerCase()}`;
    const res = await register(citizen({ residentId: typed }));
    expect(res.statusCode).toBe(201);
    expect(res.json().person.residentIdMasked).toBe(`1101**********${id.slice(-4)}`);
  });

  it.each([
    [
      'checksum',
      (() => {
        const id = residentId(7);
        return id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
      })(),
    ],
    ['birth_date', '110101199013071234'],
    ['format', '12345'],
  ])('refuses a resident ID with a bad %s', async (reason, value) => {
    const res = await register(citizen({ residentId: value }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'identity.invalid_resident_id', details: { reason } });
  });

  it('refuses a citizen without a resident ID', async () => {
    const res = await register(citizen({ residentId: undefined }));
    expect(res.json().error.code).toBe('identity.invalid_resident_id');
  });

  it('registers a business user with a valid USCC and company name', async () => {
    const code = uscc(42);
    const res = await register({
      kind: 'business',
      username: uniqueName('b'),
      password: STRONG_PASSWORD,
      displayName: '王经理',
      uscc: code,
      companyName: '北京示例科技有限公司',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().person).toMatchObject({
      kind: 'business',
      usccMasked: `9111**********${code.slice(-4)}`,
      companyName: '北京示例科技有限公司',
      residentIdMasked: null,
    });
    const row = await t.ctx.db
      .selectFrom('people')
      .select(['uscc_enc', 'uscc_bidx'])
      .where('id', '=', res.json().person.id)
      .executeTakeFirstOrThrow();
    expect(row.uscc_enc).not.toContain(code);
    expect(t.ctx.cipher.decrypt(row.uscc_enc!)).toBe(code);
  });

  it('refuses a bad USCC checksum and a business without a company name', async () => {
    const code = uscc(43);
    const bad = code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A');
    const body = {
      kind: 'business',
      username: uniqueName('b'),
      password: STRONG_PASSWORD,
      displayName: 'x',
      companyName: 'Co',
    };
    const res = await register({ ...body, uscc: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'identity.invalid_uscc',
      details: { reason: 'checksum' },
    });
    const noName = await register({ ...body, uscc: code, companyName: undefined });
    expect(noName.json().error.code).toBe('identity.company_name_required');
  });

  it('explains every rule a weak password breaks', async () => {
    const res = await register(citizen({ username: 'zhaoliu', password: 'zhaoliu1' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('identity.weak_password');
    expect(res.json().error.details.reasons).toEqual(
      expect.arrayContaining(['too_short', 'too_few_classes', 'contains_username']),
    );
    const common = await register(citizen({ password: 'Password@123' }));
    expect(common.json().error.details.reasons).toEqual(['common']);
  });

  it('refuses a taken username (whatever its case) and a resident ID already registered', async () => {
    const username = uniqueName('dup');
    expect((await register(citizen({ username, residentId: residentId(300) }))).statusCode).toBe(201);
    const sameName = await register(
      citizen({ username: username.toUpperCase(), residentId: residentId(301) }),
    );
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().error.code).toBe('identity.username_taken');
    const sameId = await register(citizen({ residentId: residentId(300) }));
    expect(sameId.statusCode).toBe(409);
    expect(sameId.json().error.code).toBe('identity.resident_id_taken');
  });

  it('refuses fields it does not know (no self-made admins)', async () => {
    const res = await register(citizen({ isPlatformAdmin: true }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation.failed');
  });
});
