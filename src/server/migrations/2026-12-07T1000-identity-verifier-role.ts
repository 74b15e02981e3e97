import { type Kysely, sql } from 'kysely';

// Counter verification. A new department role, identity_verifier (实名核验员): service-hall counter and
// front-desk staff who check a resident's ID card or a company's business licence in person and record
// it. It is a role of its own rather than case_handler because case handlers exist in every department
// for other work, and looking people up by ID number must not come with that job everywhere.
// The department in whose name a verification was made is kept, so that department's admins may
// withdraw one made in error. Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table role_assignments drop constraint if exists role_assignments_role_check`.execute(db);
  await sql`alter table role_assignments add constraint role_assignments_role_check
    check (role in ('dept_admin', 'data_steward', 'case_handler', 'reviewer', 'auditor', 'identity_verifier'))`.execute(
    db,
  );
  await sql`alter table people
    add column identity_verified_department_id uuid references departments(id)`.execute(db);
  await sql`create index people_identity_verified_department_idx on people (identity_verified_department_id)
    where identity_verified_department_id is not null`.execute(db);
}
