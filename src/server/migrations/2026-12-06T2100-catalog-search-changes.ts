import { type Kysely, sql } from 'kysely';

// Change stamps on the search rows, for the in-memory public index (catalog/search/search-mirror.ts),
// which follows the table rather than being told about edits, so it sees every writer: the
// statement trigger, a rebuild, another node. Each row carries the id of the transaction that last
// wrote it, and deleted rows leave a tombstone with the deleting transaction's id. A reader that knew
// the table as of a snapshot has read every row but those stamped by transactions the snapshot did
// not see: ids from its xmax on, and the few in progress then (its xip list) — two index lookups,
// whatever long transaction runs elsewhere. Tombstones are kept a day; a reader idle longer reloads.
// Forward-only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table catalog_search add column changed_xid xid8 not null default '0'`.execute(db);
  await sql`create index catalog_search_changed_idx on catalog_search (changed_xid)`.execute(db);
  await sql`create function catalog_search_stamp() returns trigger language plpgsql as $$
    begin
      new.changed_xid := pg_current_xact_id();
      return new;
    end $$`.execute(db);
  await sql`create trigger catalog_search_stamp before insert or update on catalog_search
    for each row execute function catalog_search_stamp()`.execute(db);

  await sql`create table catalog_search_removed (
    id uuid not null,
    removed_xid xid8 not null,
    removed_at timestamptz not null default now())`.execute(db);
  await sql`create index catalog_search_removed_xid_idx on catalog_search_removed (removed_xid)`.execute(db);
  await sql`create index catalog_search_removed_at_idx on catalog_search_removed (removed_at)`.execute(db);
  await sql`create function catalog_search_note_removal() returns trigger language plpgsql as $$
    begin
      insert into catalog_search_removed (id, removed_xid) select id, pg_current_xact_id() from gone;
      delete from catalog_search_removed where removed_at < now() - interval '1 day';
      return null;
    end $$`.execute(db);
  await sql`create trigger catalog_search_note_removal after delete on catalog_search
    referencing old table as gone
    for each statement execute function catalog_search_note_removal()`.execute(db);
}
