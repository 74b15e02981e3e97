// Shape of the authorisation matrix. Each module lists one case per route in
// src/server/modules/<module>/<module>.authz-cases.ts; test/authz-matrix.test.ts runs them all
// for every persona and fails when a registered /api route has no case.

export const PERSONAS = [
  'anonymous',
  'citizen',
  'business',
  /** Staff of department B (dept_admin there): must not reach department A's things. */
  'otherDeptStaff',
  /** dept_admin of department A. */
  'deptAdmin',
  /** auditor of department A. */
  'auditor',
  /** data_steward of department A: edits A's catalog. */
  'steward',
  /** identity_verifier of department A only: a service-hall counter clerk (real-name verification). */
  'counterClerk',
  'platformAdmin',
] as const;
export type Persona = (typeof PERSONAS)[number];

/** What the matrix test builds before running cases: two departments and one person per persona. */
export interface AuthzFixture {
  deptA: { id: string; code: string };
  deptB: { id: string; code: string };
  /** A staff member of department A with no admin role (target for people/role routes). */
  staffA: { id: string; username: string };
  people: Record<Exclude<Persona, 'anonymous'>, { id: string; username: string }>;
}

export interface AuthzCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** The route as registered (e.g. `/api/people/:id`), used to check that every route has a case. */
  route: string;
  /** The concrete URL to call; defaults to `route`. */
  url?: (f: AuthzFixture) => string;
  body?: (f: AuthzFixture) => unknown;
  /** Status a refused anonymous caller gets (default 401; CKAN's API answers 403). */
  anonymousStatus?: 401 | 403;
  /** Personas that must get past authorisation (any status but 401/403); all others must get 401 or 403. */
  allow: readonly Persona[];
  /**
   * Build fresh state per call when a case consumes what it acts on (e.g. deleting a token):
   * returns extra values merged into the fixture for this call only.
   */
  prepare?: (
    f: AuthzFixture,
    ctx: import('../../src/server/platform/context.ts').AppContext,
  ) => Promise<Partial<AuthzFixture> & Record<string, unknown>>;
}

export const EVERYONE: readonly Persona[] = PERSONAS;
export const SIGNED_IN: readonly Persona[] = PERSONAS.filter((p) => p !== 'anonymous');
