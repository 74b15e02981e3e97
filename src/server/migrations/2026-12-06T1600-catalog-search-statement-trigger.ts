import { type Kysely, sql } from 'kysely';

// The copy of catalog rows into catalog_search (2026-12-06T1400) moves from a row trigger to
// statement triggers over transition tables: one set-based upsert per statement instead of one
// PL/pgSQL call and one upsert per row, which is what the batches of a full reindex (2,000 rows an
// UPDATE) and bulk loads paid for. It still runs inside the writing statement. A statement trigger
// cannot name columns, so the upsert itself skips rows whose copy would not change (a review note,
// a version number). Forward-only.

const COLUMNS = [
  'id',
  'department_id',
  'modified_at',
  'created_at',
  'download_count',
  'published_at',
  'status',
  'open_type',
  'share_type',
  'update_cycle',
  'theme_id',
  'license_id',
  'catalog_kind',
  'sensitivity',
  'keywords',
  'formats',
  'name',
  'resource_code',
  'title_zh',
  'title_en',
  'search_text',
  'search_vector',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const copied = COLUMNS.filter((c) => c !== 'id');
  const list = sql.raw(COLUMNS.join(', '));
  const updates = sql.raw(copied.map((c) => `${c} = excluded.${c}`).join(', '));
  const current = sql.raw(copied.map((c) => `catalog_search.${c}`).join(', '));
  const incoming = sql.raw(copied.map((c) => `excluded.${c}`).join(', '));
  await sql`create function catalog_search_sync_rows() returns trigger language plpgsql as $$
    begin
      insert into catalog_search (${list}) select ${list} from changed_rows
      on conflict (id) do update set ${updates}
      where (${current}) is distinct from (${incoming});
      return null;
    end $$`.execute(db);
  await sql`drop trigger catalog_search_sync on catalog_datasets`.execute(db);
  await sql`drop function catalog_search_sync()`.execute(db);
  for (const event of ['insert', 'update'])
    await sql`create trigger ${sql.raw(`catalog_search_sync_${event}`)} after ${sql.raw(event)} on catalog_datasets
      referencing new table as changed_rows
      for each statement execute function catalog_search_sync_rows()`.execute(db);
}
