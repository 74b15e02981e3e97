import { type Kysely, sql } from 'kysely';

// Catalog search reads a narrow copy of each resource instead of the wide `catalog_datasets` row
// (descriptions, data items, contacts, extras, old row versions left by edits): only what matching,
// ranking, visibility, filters, sorts and facets look at. Fixed-width columns come first and the
// tsvector last, so reading a facet or sort key does not walk past the vector.
//
// A row trigger keeps the copy, so it changes in the same statement as every write to the catalog —
// services, harvests, reindex, bulk loads alike — and search is never behind. Forward-only.

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
  await db.schema
    .createTable('catalog_search')
    .addColumn('id', 'uuid', (c) => c.primaryKey().references('catalog_datasets.id').onDelete('cascade'))
    .addColumn('department_id', 'uuid', (c) => c.notNull())
    .addColumn('modified_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('download_count', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('open_type', 'text', (c) => c.notNull())
    .addColumn('share_type', 'text', (c) => c.notNull())
    .addColumn('update_cycle', 'text', (c) => c.notNull())
    .addColumn('theme_id', 'text')
    .addColumn('license_id', 'text')
    .addColumn('catalog_kind', 'text', (c) => c.notNull())
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('keywords', sql`text[]`, (c) => c.notNull())
    .addColumn('formats', sql`text[]`, (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('resource_code', 'text', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('search_vector', sql`tsvector`, (c) => c.notNull())
    .execute();

  const list = sql.raw(COLUMNS.join(', '));
  const fromNew = sql.raw(COLUMNS.map((c) => `new.${c}`).join(', '));
  const updates = sql.raw(
    COLUMNS.filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', '),
  );
  await sql`create function catalog_search_sync() returns trigger language plpgsql as $$
    begin
      insert into catalog_search (${list}) values (${fromNew})
      on conflict (id) do update set ${updates};
      return null;
    end $$`.execute(db);
  // Only writes that touch a copied column pay for the copy (a review note does not).
  const watched = sql.raw(COLUMNS.filter((c) => c !== 'id').join(', '));
  await sql`create trigger catalog_search_sync after insert or update of ${watched} on catalog_datasets
    for each row execute function catalog_search_sync()`.execute(db);

  await sql`insert into catalog_search (${list}) select ${list} from catalog_datasets`.execute(db);

  // What the public searches (published and open) has its own, smaller index; staff searches use
  // the full one. Trigram matching (typos, one-character queries) is rare enough for one index.
  await sql`create index catalog_search_public_idx on catalog_search using gin (search_vector)
    where status = 'published' and open_type = 'open'`.execute(db);
  await sql`create index catalog_search_vector_idx on catalog_search using gin (search_vector)`.execute(db);
  await sql`create index catalog_search_trgm_idx on catalog_search using gin (search_text gin_trgm_ops)`.execute(
    db,
  );
  // Search no longer reads the wide table's copies; their indexes would only slow every write.
  await sql`drop index catalog_datasets_search_idx`.execute(db);
  await sql`drop index catalog_datasets_trgm_idx`.execute(db);
}
