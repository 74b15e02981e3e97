import type { Updateable } from 'kysely';
import type { Db } from '../../platform/db.ts';
import type { ExchangeExtractsTable } from '../../platform/db-schema-exchange.ts';

// File extracts of grants (exchange_extracts).

export function insertExtract(
  trx: Db,
  row: {
    id: string;
    grant_id: string;
    format: 'csv' | 'json';
    requested_by: string | null;
    requested_by_label: string;
  },
) {
  return trx
    .insertInto('exchange_extracts')
    .values({ ...row, state: 'queued' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export const findExtract = (db: Db, id: string) =>
  db.selectFrom('exchange_extracts').selectAll().where('id', '=', id).executeTakeFirst();

export type ExtractRow = NonNullable<Awaited<ReturnType<typeof findExtract>>>;

/** A grant's extracts, newest first. */
export const listExtractRows = (db: Db, grantId: string, limit = 100) =>
  db
    .selectFrom('exchange_extracts')
    .selectAll()
    .where('grant_id', '=', grantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();

export const updateExtract = (db: Db, id: string, set: Updateable<ExchangeExtractsTable>) =>
  db.updateTable('exchange_extracts').set(set).where('id', '=', id).execute();
