import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';

// Subscriptions and their webhook deliveries (exchange_subscriptions, exchange_deliveries), and the
// few facts about a grant that subscriptions and extracts check (its departments' paths, state).

const grantWithPaths = (db: Db) =>
  db
    .selectFrom('exchange_grants as g')
    .innerJoin('departments as grantee', 'grantee.id', 'g.grantee_department_id')
    .innerJoin('departments as owner', 'owner.id', 'g.owner_department_id')
    .selectAll('g')
    .select(['grantee.path as grantee_path', 'owner.path as owner_path']);

/** A grant as subscriptions and extracts see it: its row and both departments' paths. */
export const findGrantForUse = (db: Db, grantId: string) =>
  grantWithPaths(db).where('g.id', '=', grantId).executeTakeFirst();

/** The grant whose credential hashes to `hash` (the gateway's extract downloads). */
export const findGrantByCredentialHash = (db: Db, hash: string) =>
  grantWithPaths(db).where('g.credential_hash', '=', hash).executeTakeFirst();

export type GrantForUse = NonNullable<Awaited<ReturnType<typeof findGrantForUse>>>;

export function insertSubscription(
  trx: Db,
  row: { id: string; grant_id: string; url: string; secret_enc: string; created_by: string | null },
) {
  return trx
    .insertInto('exchange_subscriptions')
    .values({ ...row, state: 'active' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const findSubscription = (db: Db, id: string) =>
  db.selectFrom('exchange_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();

export const cancelSubscriptionRow = (trx: Db, id: string) =>
  trx
    .updateTable('exchange_subscriptions')
    .set({ state: 'cancelled' })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .executeTakeFirst();

/** A grant's subscriptions, newest first, each with its latest delivery. */
export async function listSubscriptionRows(db: Db, grantId: string) {
  const r = await sql<{
    id: string;
    grant_id: string;
    url: string;
    state: 'active' | 'cancelled';
    created_at: Date;
    d_at: Date | null;
    d_state: 'pending' | 'delivered' | 'failed' | null;
    d_attempts: number | null;
    d_status: number | null;
    d_error: string | null;
  }>`
    select s.id, s.grant_id, s.url, s.state, s.created_at,
           d.created_at as d_at, d.state as d_state, d.attempts as d_attempts,
           d.last_status as d_status, d.last_error as d_error
    from exchange_subscriptions s
    left join lateral (
      select * from exchange_deliveries where subscription_id = s.id order by created_at desc, id limit 1
    ) d on true
    where s.grant_id = ${grantId}
    order by s.created_at desc, s.id`.execute(db);
  return r.rows;
}

/**
 * The active subscriptions of active, unexpired grants on a table: those a new version is sent to.
 * A grant for file delivery subscribes the same way.
 */
export const subscriptionsOfTable = (trx: Db, distributionId: string) =>
  trx
    .selectFrom('exchange_subscriptions as s')
    .innerJoin('exchange_grants as g', 'g.id', 's.grant_id')
    .select(['s.id', 's.grant_id', 'g.dataset_id'])
    .where('g.distribution_id', '=', distributionId)
    .where('g.state', '=', 'active')
    .where('g.expires_at', '>', sql<Date>`now()`)
    .where('s.state', '=', 'active')
    .execute();

export const insertDelivery = (trx: Db, row: { id: string; subscription_id: string; event: unknown }) =>
  trx
    .insertInto('exchange_deliveries')
    .values({
      id: row.id,
      subscription_id: row.subscription_id,
      event: JSON.stringify(row.event),
      state: 'pending',
    })
    .execute();

/** A delivery with what sending it needs: its subscription's address and sealed secret, its grant's state. */
export const findDeliveryToSend = (db: Db, id: string) =>
  db
    .selectFrom('exchange_deliveries as d')
    .innerJoin('exchange_subscriptions as s', 's.id', 'd.subscription_id')
    .innerJoin('exchange_grants as g', 'g.id', 's.grant_id')
    .select([
      'd.id',
      'd.event',
      'd.state',
      'd.attempts',
      's.url',
      's.secret_enc',
      's.state as subscription_state',
      'g.state as grant_state',
      sql<boolean>`g.expires_at <= now()`.as('grant_expired'),
    ])
    .where('d.id', '=', id)
    .executeTakeFirst();

/** Records one attempt's outcome. */
export const recordAttempt = (
  trx: Db,
  id: string,
  outcome: { state: 'pending' | 'delivered' | 'failed'; status: number | null; error: string | null },
) =>
  trx
    .updateTable('exchange_deliveries')
    .set((eb) => ({
      state: outcome.state,
      attempts: eb('attempts', '+', 1),
      last_status: outcome.status,
      last_error: outcome.error,
      delivered_at: outcome.state === 'delivered' ? sql<Date>`now()` : null,
    }))
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();

/** Ends a delivery that will not be attempted (subscription cancelled, grant no longer active). */
export const abandonDelivery = (trx: Db, id: string, error: string) =>
  trx
    .updateTable('exchange_deliveries')
    .set({ state: 'failed', last_error: error })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .execute();
