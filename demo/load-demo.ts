import type { DepartmentDto, PersonDto } from '../src/contracts/identity.ts';
import {
  assignRole,
  createDepartment,
  createStaff,
  findDepartmentByCode,
  findPersonByUsername,
  registerPerson,
  verifyIdentity,
} from '../src/server/modules/identity/index.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import { type DemoCatalogSummary, loadDemoCatalog } from './catalog/load-catalog.ts';
import { DEMO_CITY_REGION_CODE, DEMO_DEPARTMENTS } from './departments.ts';
import { type DemoExchangeSummary, loadDemoExchange } from './exchange.ts';
import {
  DEMO_BUSINESSES,
  DEMO_CITIZENS,
  DEMO_PUBLIC_PASSWORD,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
  type Highlight,
} from './people.ts';

/** How the demo's accounts were verified, as a counter clerk would note it. */
const DEMO_CITIZEN_CHECK = '身份证原件核验，岚山市政务服务中心窗口（演示数据）';
const DEMO_BUSINESS_CHECK = '营业执照及经办人身份证原件核验，岚山市政务服务中心窗口（演示数据）';

/** What the demo city holds, and the accounts worth trying first. */
export interface DemoSummary {
  /** Departments of the demo city (all present after loading). */
  departments: number;
  /** Demo people: staff, citizens and businesses (all present after loading). */
  people: number;
  /** The key accounts: the platform admin, one per department role, a citizen and a business. */
  accounts: { username: string; password: string; description: string }[];
  /** What this run created; zeros when the demo was already loaded. */
  created: { departments: number; people: number; roles: number };
  /** The demo catalog: resources present after loading, and what this run created. */
  catalog: DemoCatalogSummary;
  /** The demo exchange: access requests between departments, and gateway calls this run made. */
  exchange: DemoExchangeSummary;
}

export interface LoadDemoOptions {
  /** Load only into a database without departments (first start); otherwise return undefined. */
  onlyIfEmpty?: boolean;
}

/**
 * Loads the fictional city of Lanshan through the identity, catalog and exchange services, so that
 * every creation is validated and audited like an administrator's. Idempotent: departments are
 * matched by code, people by username, catalog resources by name and access requests by resource
 * and requesting department, and only what is missing is created.
 */
export async function loadDemo(
  ctx: AppContext,
  options: LoadDemoOptions = {},
): Promise<DemoSummary | undefined> {
  if (options.onlyIfEmpty) {
    const any = await ctx.db.selectFrom('departments').select('id').limit(1).executeTakeFirst();
    if (any) return undefined;
  }
  const actor = systemActor('demo');
  const created = { departments: 0, people: 0, roles: 0 };

  const departments = new Map<string, DepartmentDto>();
  for (const d of DEMO_DEPARTMENTS) {
    let dept = await findDepartmentByCode(ctx, d.code);
    if (!dept) {
      const parent = d.parent ? departments.get(d.parent) : undefined;
      if (d.parent && !parent)
        throw new Error(`Demo department ${d.code} is listed before its parent ${d.parent}`);
      dept = await createDepartment(ctx, actor, {
        code: d.code,
        nameZh: d.nameZh,
        nameEn: d.nameEn,
        parentId: parent?.id ?? null,
        regionCode: DEMO_CITY_REGION_CODE,
      });
      created.departments++;
    }
    departments.set(d.code, dept);
  }
  const deptId = (code: string) => {
    const dept = departments.get(code);
    if (!dept) throw new Error(`Demo data names an unknown department ${code}`);
    return dept.id;
  };

  for (const s of DEMO_STAFF) {
    let person = await findPersonByUsername(ctx, s.username);
    if (!person) {
      person = await createStaff(ctx, actor, {
        username: s.username,
        displayName: s.displayName,
        email: s.email,
        password: DEMO_STAFF_PASSWORD,
        departmentId: deptId(s.department),
        roles: s.roles,
        isPlatformAdmin: s.isPlatformAdmin ?? false,
      });
      created.people++;
    }
    // Roles are checked one by one, so a rerun also restores a role someone removed.
    const wanted = [...s.roles.map((role) => ({ department: s.department, role })), ...(s.extraRoles ?? [])];
    for (const w of wanted) {
      const departmentId = deptId(w.department);
      if (hasRole(person, departmentId, w.role)) continue;
      await assignRole(ctx, actor, { personId: person.id, departmentId, role: w.role });
      created.roles++;
    }
  }

  // The demo's residents and businesses have been to the service centre counter: verified, so that
  // "my data" shows them who read their records (it stays closed to unverified accounts).
  const verified = async (person: PersonDto, note: string) => {
    if (!person.identityVerifiedAt) await verifyIdentity(ctx, actor, person.id, note);
  };

  for (const c of DEMO_CITIZENS) {
    const existing = await findPersonByUsername(ctx, c.username);
    if (existing) {
      await verified(existing, DEMO_CITIZEN_CHECK);
      continue;
    }
    const person = await registerPerson(ctx, {
      kind: 'citizen',
      username: c.username,
      password: DEMO_PUBLIC_PASSWORD,
      displayName: c.displayName,
      email: c.email,
      residentId: c.residentId,
    });
    await verified(person, DEMO_CITIZEN_CHECK);
    created.people++;
  }

  for (const b of DEMO_BUSINESSES) {
    const existing = await findPersonByUsername(ctx, b.username);
    if (existing) {
      await verified(existing, DEMO_BUSINESS_CHECK);
      continue;
    }
    const person = await registerPerson(ctx, {
      kind: 'business',
      username: b.username,
      password: DEMO_PUBLIC_PASSWORD,
      displayName: b.displayName,
      email: b.email,
      uscc: b.uscc,
      companyName: b.companyName,
    });
    await verified(person, DEMO_BUSINESS_CHECK);
    created.people++;
  }

  // The catalog comes next: its resources belong to the departments loaded above.
  const catalog = await loadDemoCatalog(ctx);
  // The exchange last: departments asking for each other's catalog resources, and reading them.
  const exchange = await loadDemoExchange(ctx);

  return {
    departments: DEMO_DEPARTMENTS.length,
    people: DEMO_STAFF.length + DEMO_CITIZENS.length + DEMO_BUSINESSES.length,
    accounts: demoAccounts(),
    created,
    catalog,
    exchange,
  };
}

const hasRole = (person: PersonDto, departmentId: string, role: string) =>
  person.roles.some((r) => r.departmentId === departmentId && r.role === role);

/** The accounts to try first, in the order the README lists them. */
export function demoAccounts(): DemoSummary['accounts'] {
  const describe = (h: Highlight) => `${h.en} · ${h.zh}`;
  return [
    ...DEMO_STAFF.filter((s) => s.highlight).map((s) => ({
      username: s.username,
      password: DEMO_STAFF_PASSWORD,
      description: describe(s.highlight!),
    })),
    ...[...DEMO_CITIZENS, ...DEMO_BUSINESSES]
      .filter((p) => p.highlight)
      .map((p) => ({
        username: p.username,
        password: DEMO_PUBLIC_PASSWORD,
        description: describe(p.highlight!),
      })),
  ];
}
