import type { Actor } from '../../platform/auth/actor.ts';
import { authorize } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import { AppError, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import { type DistributionScope, findDistributionScope } from '../catalog/index.ts';
import { canReadDatastore, canWriteDatastore, type ReaderClass, readerClassOf } from './datastore.policy.ts';
import { findTable, type TableRow } from './datastore.repository.ts';

// Loading a distribution and asking its policies, shared by every DataStore service.

export const distributionNotFound = () => notFound('datastore.resource_not_found', 'Resource');
// CKAN actions pass resource ids as free text: anything but a UUID in its canonical lower-case form
// names no resource. Other text must never reach the uuid column (PostgreSQL refuses it with an
// error), and an upper-case id would find the row but not the tables and views named after it.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const noTable = () =>
  new AppError(
    'datastore.not_loaded',
    404,
    'This resource has no DataStore table (yet): no file has been loaded',
  );

/** The distribution, if the actor may read it (401 for the anonymous, 403 for others who may not). */
export async function readableScope(
  db: Db,
  actor: Actor | undefined,
  distributionId: string,
): Promise<DistributionScope> {
  if (!UUID.test(distributionId)) throw distributionNotFound();
  const scope = await findDistributionScope(db, distributionId);
  if (!scope) throw distributionNotFound();
  if (!canReadDatastore(actor, scope)) {
    if (!actor) throw unauthenticated();
    throw forbidden();
  }
  return scope;
}

/** The distribution, if the actor may load into it and describe it. */
export async function writableScope(
  db: Db,
  actor: Actor | undefined,
  distributionId: string,
): Promise<DistributionScope> {
  const scope = await readableScope(db, actor, distributionId);
  authorize(actor, (a) => canWriteDatastore(a, scope.departmentPath));
  return scope;
}

/** A readable table with its current version, and how the actor reads it. */
export async function readableTable(
  db: Db,
  actor: Actor | undefined,
  distributionId: string,
): Promise<{ scope: DistributionScope; table: TableRow & { current_version: number }; cls: ReaderClass }> {
  const scope = await readableScope(db, actor, distributionId);
  const table = await findTable(db, distributionId);
  if (!table || table.current_version === null) throw noTable();
  return {
    scope,
    table: table as TableRow & { current_version: number },
    cls: readerClassOf(actor, scope.departmentPath),
  };
}
