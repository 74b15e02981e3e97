import { type Kysely, sql } from 'kysely';

// A change stamp for the names search facets show (departments, themes), so that the in-memory public
// index (catalog/search/search-mirror.ts) knows when to read them again instead of reading them for
// every search. One row holds the id of the last transaction that wrote either table; a reader that
// knew them as of a snapshot reads them again when that transaction is one the snapshot did not see —
// the rule catalog_search's stamps follow (2026-12-06T2100). Statement triggers: a rename of many
// departments stamps once. Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table catalog_label_changes (
    id int primary key check (id = 1),
    changed_xid xid8 not null)`.execute(db);
  await sql`insert into catalog_label_changes (id, changed_xid) values (1, '0')`.execute(db);
  await sql`create function catalog_labels_stamp() returns trigger language plpgsql as $$
    begin
      update catalog_label_changes set changed_xid = pg_current_xact_id() where id = 1;
      return null;
    end $$`.execute(db);
  for (const table of ['departments', 'catalog_themes'])
    await sql`create trigger ${sql.raw(`${table}_labels_stamp`)} after insert or update or delete or truncate
      on ${sql.table(table)} for each statement execute function catalog_labels_stamp()`.execute(db);
}
