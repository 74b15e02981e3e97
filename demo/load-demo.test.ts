import { verify as verifyArgon2 } from '@node-rs/argon2';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidResidentId, isValidUscc, maskIdentifier } from '../src/contracts/identifiers.ts';
import { DEPARTMENT_ROLES } from '../src/contracts/identity.ts';
import { passwordProblems } from '../src/contracts/password-policy.ts';
import { verifyAuditLog } from '../src/server/platform/audit/index.ts';
import { createTestContext, type TestContext } from '../test/support/test-context.ts';
import { DEMO_CITY_REGION_CODE, DEMO_DEPARTMENTS, DEMO_DISTRICTS } from './departments.ts';
import { type DemoSummary, loadDemo } from './index.ts';
import {
  DEMO_BUSINESSES,
  DEMO_CITIZENS,
  DEMO_PUBLIC_PASSWORD,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
} from './people.ts';

const PEOPLE = DEMO_STAFF.length + DEMO_CITIZENS.length + DEMO_BUSINESSES.length;
const districtCodes = Object.keys(DEMO_DISTRICTS);

describe('demo data (source)', () => {
  it('has only valid, distinct, fictional resident IDs', () => {
    const ids = DEMO_CITIZENS.map((c) => c.residentId);
    for (const id of ids) {
      expect(isValidResidentId(id), id).toBe(true);
      expect(districtCodes, id).toContain(id.slice(0, 6));
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has only valid, distinct, fictional unified social credit codes', () => {
    const codes = DEMO_BUSINESSES.map((b) => b.uscc);
    for (const code of codes) {
      expect(isValidUscc(code), code).toBe(true);
      expect(districtCodes, code).toContain(code.slice(2, 8));
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('places its districts inside the city and every department under a listed parent', () => {
    for (const code of districtCodes) expect(code.slice(0, 4)).toBe(DEMO_CITY_REGION_CODE.slice(0, 4));
    const seen = new Set<string>();
    for (const d of DEMO_DEPARTMENTS) {
      if (d.parent) expect(seen, `${d.code} before its parent`).toContain(d.parent);
      seen.add(d.code);
    }
    expect(DEMO_DEPARTMENTS.filter((d) => !d.parent)).toHaveLength(1);
  });

  it('uses passwords the password policy accepts for every account', () => {
    for (const s of DEMO_STAFF)
      expect(passwordProblems(DEMO_STAFF_PASSWORD, s.username), s.username).toEqual([]);
    for (const p of [...DEMO_CITIZENS, ...DEMO_BUSINESSES]) {
      expect(passwordProblems(DEMO_PUBLIC_PASSWORD, p.username), p.username).toEqual([]);
    }
  });
});

describe('loadDemo', () => {
  let ctx: TestContext;
  let first: DemoSummary | undefined;

  beforeAll(async () => {
    ctx = await createTestContext();
    first = await loadDemo(ctx, { onlyIfEmpty: true });
  });
  afterAll(async () => ctx?.dispose());

  const count = async (table: 'departments' | 'people' | 'role_assignments' | 'audit_log') =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(ctx.db)).rows[0]!
        .n,
    );

  it('loads the whole city into an empty database', async () => {
    expect(first).toBeDefined();
    expect(first!.departments).toBe(DEMO_DEPARTMENTS.length);
    expect(first!.people).toBe(PEOPLE);
    expect(first!.created).toMatchObject({ departments: DEMO_DEPARTMENTS.length, people: PEOPLE });
    // The catalog is loaded with the city (demo/catalog/load-catalog.test.ts checks it in detail).
    expect(first!.catalog.resources).toBeGreaterThan(0);
    expect(first!.catalog.created).toBe(first!.catalog.resources);
    expect(await count('departments')).toBe(DEMO_DEPARTMENTS.length);
    expect(await count('people')).toBe(PEOPLE);
    const kinds = await ctx.db
      .selectFrom('people')
      .select(['kind'])
      .select(sql<number>`count(*)::int`.as('n'))
      .groupBy('kind')
      .execute();
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({
      staff: DEMO_STAFF.length,
      citizen: DEMO_CITIZENS.length,
      business: DEMO_BUSINESSES.length,
    });
  });

  it('builds the department tree with the city government at the root', async () => {
    const rows = await ctx.db
      .selectFrom('departments')
      .select(['id', 'code', 'parent_id', 'region_code'])
      .execute();
    const byCode = new Map(rows.map((r) => [r.code, r]));
    for (const d of DEMO_DEPARTMENTS) {
      const row = byCode.get(d.code)!;
      expect(row.region_code).toBe(DEMO_CITY_REGION_CODE);
      expect(row.parent_id, d.code).toBe(d.parent ? byCode.get(d.parent)!.id : null);
    }
  });

  it('gives staff every department role and makes only admin a platform admin', async () => {
    const roles = await ctx.db.selectFrom('role_assignments').select('role').distinct().execute();
    expect(roles.map((r) => r.role).sort()).toEqual([...DEPARTMENT_ROLES].sort());
    const admins = await ctx.db
      .selectFrom('people')
      .select('username')
      .where('is_platform_admin', '=', true)
      .execute();
    expect(admins.map((a) => a.username)).toEqual(['admin']);
    const expectedRoles = DEMO_STAFF.reduce((n, s) => n + s.roles.length + (s.extraRoles?.length ?? 0), 0);
    expect(await count('role_assignments')).toBe(expectedRoles);
  });

  it('stores identifiers encrypted, with masks for display, never in clear', async () => {
    const rows = await ctx.db
      .selectFrom('people')
      .select([
        'username',
        'resident_id_enc',
        'resident_id_masked',
        'uscc_enc',
        'uscc_masked',
        'company_name',
      ])
      .where('kind', 'in', ['citizen', 'business'])
      .execute();
    const byName = new Map(rows.map((r) => [r.username, r]));
    for (const c of DEMO_CITIZENS) {
      const row = byName.get(c.username)!;
      expect(row.resident_id_masked).toBe(maskIdentifier(c.residentId));
      expect(row.resident_id_enc).not.toContain(c.residentId);
      expect(ctx.cipher.decrypt(row.resident_id_enc!)).toBe(c.residentId);
    }
    for (const b of DEMO_BUSINESSES) {
      const row = byName.get(b.username)!;
      expect(row.uscc_masked).toBe(maskIdentifier(b.uscc));
      expect(ctx.cipher.decrypt(row.uscc_enc!)).toBe(b.uscc);
      expect(row.company_name).toBe(b.companyName);
    }
  });

  it('lists key accounts whose passwords are the ones stored', async () => {
    const accounts = first!.accounts;
    const names = accounts.map((a) => a.username);
    expect(names[0]).toBe('admin');
    expect(names).toContain(DEMO_CITIZENS.find((c) => c.highlight)!.username);
    expect(names).toContain(DEMO_BUSINESSES.find((b) => b.highlight)!.username);
    // one highlighted staff member per department role
    for (const role of DEPARTMENT_ROLES) {
      expect(
        DEMO_STAFF.some((s) => s.highlight && s.roles.includes(role) && names.includes(s.username)),
        role,
      ).toBe(true);
    }
    for (const a of accounts) {
      expect(a.description.length).toBeGreaterThan(0);
      const row = await ctx.db
        .selectFrom('people')
        .select('password_hash')
        .where('username', '=', a.username)
        .executeTakeFirstOrThrow();
      expect(await verifyArgon2(row.password_hash, a.password), a.username).toBe(true);
    }
  });

  it('does nothing when asked to load only into an empty database', async () => {
    // Entries are counted in audit_log itself: the chain's head moves only when the sequencer runs.
    const entriesBefore = await count('audit_log');
    expect(await loadDemo(ctx, { onlyIfEmpty: true })).toBeUndefined();
    expect(await count('audit_log')).toBe(entriesBefore);
  });

  it('adds nothing and does not fail when run again', async () => {
    const entriesBefore = await count('audit_log');
    const again = await loadDemo(ctx);
    expect(again!.created).toEqual({ departments: 0, people: 0, roles: 0 });
    expect(again!.catalog).toMatchObject({ created: 0, dataRequests: 0 });
    expect(again!.exchange).toMatchObject({ created: 0, calls: 0 });
    expect(await count('departments')).toBe(DEMO_DEPARTMENTS.length);
    expect(await count('people')).toBe(PEOPLE);
    expect(await count('audit_log')).toBe(entriesBefore);
  });

  it('restores a missing demo role on a rerun', async () => {
    const person = await ctx.db
      .selectFrom('people')
      .select('id')
      .where('username', '=', 'jiang.tao')
      .executeTakeFirstOrThrow();
    const hud = await ctx.db
      .selectFrom('departments')
      .select('id')
      .where('code', '=', 'LS-HUD')
      .executeTakeFirstOrThrow();
    await ctx.db
      .deleteFrom('role_assignments')
      .where('person_id', '=', person.id)
      .where('department_id', '=', hud.id)
      .execute();
    const rerun = await loadDemo(ctx);
    expect(rerun!.created).toEqual({ departments: 0, people: 0, roles: 1 });
    const restored = await ctx.db
      .selectFrom('role_assignments')
      .select('role')
      .where('person_id', '=', person.id)
      .where('department_id', '=', hud.id)
      .execute();
    expect(restored.map((r) => r.role)).toEqual(['auditor']);
  });

  it('records every creation in an audit log that verifies', async () => {
    // Verification first chains the entries not yet sequenced, so it covers every one of them.
    const result = await verifyAuditLog(ctx.db, ctx.signer.publicKey);
    expect(result).toMatchObject({ ok: true });
    expect(result.verified).toBe(await count('audit_log'));
    const creations = DEMO_DEPARTMENTS.length + PEOPLE;
    expect(result.verified).toBeGreaterThanOrEqual(creations);
    const byDemo = await ctx.db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('actor_label', '=', 'demo')
      .executeTakeFirstOrThrow();
    expect(byDemo.n).toBeGreaterThanOrEqual(DEMO_DEPARTMENTS.length + DEMO_STAFF.length);
  });
});
