import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditAuthzCases } from '../src/server/modules/audit/audit.authz-cases.ts';
import { calendarAuthzCases } from '../src/server/modules/calendar/calendar.authz-cases.ts';
import { catalogAuthzCases } from '../src/server/modules/catalog/catalog.authz-cases.ts';
import { ckanAuthzCases } from '../src/server/modules/catalog/ckan/ckan.authz-cases.ts';
import { harvestAuthzCases } from '../src/server/modules/catalog/harvest/harvest.authz-cases.ts';
import { datastoreAuthzCases } from '../src/server/modules/datastore/datastore.authz-cases.ts';
import { accessLogAuthzCases } from '../src/server/modules/exchange/access-log.authz-cases.ts';
import { exchangeAuthzCases } from '../src/server/modules/exchange/exchange.authz-cases.ts';
import { subscriptionAuthzCases } from '../src/server/modules/exchange/subscriptions.authz-cases.ts';
import { identityAuthzCases } from '../src/server/modules/identity/identity.authz-cases.ts';
import { identityVerificationAuthzCases } from '../src/server/modules/identity/identity-verification.authz-cases.ts';
import { type AuthzCase, type AuthzFixture, PERSONAS, type Persona } from './support/authz.ts';
import { type BuiltAuthzFixture, buildAuthzFixture } from './support/authz-fixture.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

// Every module's authorisation cases, run for every persona. A module with routes adds its
// `<module>.authz-cases.ts` here; the coverage check below fails until it does.
const CASES: AuthzCase[] = [
  ...identityAuthzCases,
  ...identityVerificationAuthzCases,
  ...auditAuthzCases,
  ...calendarAuthzCases,
  ...catalogAuthzCases,
  ...ckanAuthzCases,
  ...harvestAuthzCases,
  ...datastoreAuthzCases,
  ...subscriptionAuthzCases,
  ...exchangeAuthzCases,
  ...accessLogAuthzCases,
];

/** Routes that are not module API: documentation and the OpenAPI document itself. */
const EXEMPT = (route: string) =>
  route === '/api/openapi.json' || route === '/api/docs' || route.startsWith('/api/docs/');

interface RegisteredRoute {
  method: string;
  route: string;
}

/**
 * Every registered route, read from Fastify's printRoutes() tree (one node per line, four columns of
 * indentation per level, each node's path continuing its parent's). The parse checks itself: each
 * route it yields (documentation routes aside) must be one Fastify can find, so a change of the tree's
 * format fails loudly here instead of silently covering fewer routes.
 */
function registeredRoutes(app: FastifyInstance): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack.push(path);
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) {
      if (method && method !== 'HEAD') routes.push({ method, route: path });
    }
  }
  for (const r of routes.filter((x) => !EXEMPT(x.route))) {
    const found = app.findRoute({ method: r.method as 'GET', url: r.route });
    if (!found)
      throw new Error(`route list parse produced ${r.method} ${r.route}, which Fastify does not know`);
  }
  return routes;
}

let t: TestApp;
let built: BuiltAuthzFixture;

beforeAll(async () => {
  // Hundreds of calls from one address in a minute: lift the rate limit the matrix is not about.
  t = await createTestApp({ rateLimitPerMinute: 1_000_000 });
  built = await buildAuthzFixture(t.ctx);
});
afterAll(async () => t.close());

async function call(c: AuthzCase, persona: Persona) {
  const f: AuthzFixture = c.prepare
    ? { ...built.fixture, ...(await c.prepare(built.fixture, t.ctx)) }
    : built.fixture;
  const headers: Record<string, string> =
    persona === 'anonymous' ? {} : { authorization: `Bearer ${built.tokens[persona]}` };
  const body = c.body?.(f);
  return t.app.inject({
    method: c.method,
    url: c.url ? c.url(f) : c.route,
    headers,
    ...(body === undefined ? {} : { payload: body as object }),
  });
}

describe('authorisation matrix', () => {
  it('has a case for every registered /api route, and no case for a route that does not exist', () => {
    const routes = registeredRoutes(t.app);
    expect(routes.length).toBeGreaterThan(10);
    const key = (r: RegisteredRoute) => `${r.method} ${r.route}`;
    const covered = new Set(CASES.map(key));
    const missing = routes.filter(
      (r) => r.route.startsWith('/api/') && !EXEMPT(r.route) && !covered.has(key(r)),
    );
    expect(missing.map(key)).toEqual([]);
    const known = new Set(routes.map(key));
    expect(CASES.map(key).filter((k) => !known.has(k))).toEqual([]);
  });

  const seen = new Map<string, number>();
  for (const c of CASES) {
    const name = `${c.method} ${c.route}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    it(`${name}${n > 1 ? ` (#${n})` : ''}: allows ${c.allow.join(', ') || 'no token caller'}`, async () => {
      const wrong: string[] = [];
      for (const persona of PERSONAS) {
        const res = await call(c, persona);
        const allowed = c.allow.includes(persona);
        const denied = persona === 'anonymous' ? (c.anonymousStatus ?? 401) : 403;
        const expected = allowed ? 'not 401/403' : String(denied);
        const ok = allowed
          ? res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500
          : res.statusCode === denied;
        if (!ok)
          wrong.push(`${persona}: got ${res.statusCode} (${res.body.slice(0, 160)}), expected ${expected}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
