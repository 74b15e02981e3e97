import { type Kysely, sql } from 'kysely';
import { SEED_THEMES } from './catalog-themes.data.ts';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

// The data-resource catalog. Forward-only.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db);

  // How long a published resource may go without a new version before it is overdue. Immutable, so
  // the freshness expression can be used in indexes and plans see through it.
  await sql`
    create function catalog_cycle_interval(cycle text) returns interval
    language sql immutable parallel safe as $$
      select case cycle
        when 'realtime' then interval '1 day'
        when 'daily' then interval '1 day'
        when 'weekly' then interval '7 days'
        when 'monthly' then interval '1 month'
        when 'quarterly' then interval '3 months'
        when 'half_yearly' then interval '6 months'
        when 'yearly' then interval '1 year'
        else null
      end
    $$`.execute(db);

  await db.schema
    .createTable('catalog_themes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('catalog_themes.id'))
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('eu_theme', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .insertInto('catalog_themes' as never)
    .values(
      SEED_THEMES.map((t, position) => ({
        id: t.id,
        parent_id: t.parent ?? null,
        name_zh: t.zh,
        name_en: t.en,
        eu_theme: t.eu,
        position,
      })) as never,
    )
    .execute();

  // One row counting committed catalog changes. Every write bumps it in its own transaction, so a
  // cached search result tagged with the number it was computed at is known current when the number
  // has not moved (as Solr drops its caches at each commit). The row lock also orders the bumps.
  await db.schema
    .createTable('catalog_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into catalog_generation (id, value) values (1, 0)`.execute(db);

  // Per-prefix counters for generated resource codes: one row update per new resource, safe under
  // concurrency without a table lock.
  await db.schema
    .createTable('catalog_code_sequences')
    .addColumn('prefix', 'text', (c) => c.primaryKey())
    .addColumn('last_value', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('catalog_datasets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('resource_code', 'text', (c) => c.notNull().unique())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_zh', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('catalog_kind', 'text', (c) =>
      c.notNull().check(sql`catalog_kind in (${inList(['base', 'thematic', 'departmental'])})`),
    )
    .addColumn('theme_id', 'text', (c) => c.references('catalog_themes.id'))
    .addColumn('keywords', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('format_class', 'text', (c) => c.notNull())
    .addColumn('data_items', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('share_type', 'text', (c) =>
      c.notNull().check(sql`share_type in (${inList(['unconditional', 'conditional', 'none'])})`),
    )
    .addColumn('share_condition', 'text')
    .addColumn('share_legal_basis', 'text')
    .addColumn('open_type', 'text', (c) =>
      c.notNull().check(sql`open_type in (${inList(['open', 'conditional', 'none'])})`),
    )
    .addColumn('open_condition', 'text')
    .addColumn('update_cycle', 'text', (c) => c.notNull())
    .addColumn('related', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('license_id', 'text')
    .addColumn('temporal_start', 'date')
    .addColumn('temporal_end', 'date')
    .addColumn('spatial_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('contact', 'jsonb')
    .addColumn('sensitivity', 'text', (c) => c.notNull())
    .addColumn('extras', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in (${inList(['draft', 'submitted', 'published', 'withdrawn'])})`),
    )
    .addColumn('review_note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('published_at', 'timestamptz')
    .addColumn('created_by', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('modified_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // When the last version was recorded: freshness is measured from here.
    .addColumn('last_version_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('download_count', 'bigint', (c) => c.notNull().defaultTo(0))
    // Upper-case formats of its distributions, kept by the distribution writes: the format facet
    // and filter read one row instead of joining distributions.
    .addColumn('formats', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('harvest_source_id', 'uuid')
    .addColumn('harvest_remote_id', 'text')
    // Search: a weighted vector of jieba-segmented Chinese ('simple') and stemmed English ('english')
    // text, built by the application in the same statement as the edit; and plain text for trigram
    // matching of typos and very short queries.
    .addColumn('search_vector', sql`tsvector`, (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    // Rules the service enforces with friendly errors, held here too so no path can break them.
    .addCheckConstraint(
      'catalog_not_shared_rule',
      sql`share_type <> 'none' or (open_type = 'none' and coalesce(share_legal_basis, '') <> '')`,
    )
    .addCheckConstraint('catalog_open_licence_rule', sql`open_type <> 'open' or license_id is not null`)
    .addCheckConstraint('catalog_open_shared_rule', sql`open_type <> 'open' or share_type = 'unconditional'`)
    .execute();
  await sql`create index catalog_datasets_search_idx on catalog_datasets using gin (search_vector)`.execute(
    db,
  );
  await sql`create index catalog_datasets_trgm_idx on catalog_datasets using gin (search_text gin_trgm_ops)`.execute(
    db,
  );
  await sql`create index catalog_datasets_keywords_idx on catalog_datasets using gin (keywords)`.execute(db);
  await sql`create index catalog_datasets_formats_idx on catalog_datasets using gin (formats)`.execute(db);
  await db.schema
    .createIndex('catalog_datasets_dept_idx')
    .on('catalog_datasets')
    .columns(['department_id', 'status'])
    .execute();
  await db.schema
    .createIndex('catalog_datasets_public_idx')
    .on('catalog_datasets')
    .columns(['status', 'open_type', 'modified_at'])
    .execute();
  await sql`create unique index catalog_datasets_harvest_idx on catalog_datasets (harvest_source_id, harvest_remote_id)
            where harvest_source_id is not null`.execute(db);

  await db.schema
    .createTable('catalog_distributions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('catalog_datasets.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('file', 'link', 'api')`))
    // External URL for links and APIs; null for uploaded files (served by the platform).
    .addColumn('url', 'text')
    .addColumn('storage_key', 'text')
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text')
    .addColumn('size_bytes', 'bigint')
    .addColumn('checksum', 'text')
    .addColumn('download_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('catalog_distributions_dataset_idx')
    .on('catalog_distributions')
    .columns(['dataset_id', 'position'])
    .execute();

  // Every change is a version: the full metadata after the change, so any two can be compared.
  await db.schema
    .createTable('catalog_versions')
    .addColumn('dataset_id', 'uuid', (c) => c.notNull().references('catalog_datasets.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('change', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('catalog_versions_pk', ['dataset_id', 'version'])
    .execute();

  await db.schema
    .createTable('catalog_data_requests')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('tracking_code', 'text', (c) => c.notNull().unique())
    .addColumn('dataset_id', 'uuid', (c) => c.references('catalog_datasets.id').onDelete('set null'))
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('requester_name', 'text', (c) => c.notNull())
    // Personal data of a member of the public: encrypted at rest, shown to the answering department only.
    .addColumn('requester_email_enc', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'uuid')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('open', 'answered', 'fulfilled', 'declined')`),
    )
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'uuid')
    .addColumn('answered_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('catalog_data_requests_dept_idx')
    .on('catalog_data_requests')
    .columns(['department_id', 'status'])
    .execute();

  // Harvesting: remote catalogs (CKAN API or DCAT) whose datasets are imported and kept in step.
  await db.schema
    .createTable('catalog_harvest_sources')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('ckan', 'dcat')`))
    .addColumn('url', 'text', (c) => c.notNull())
    // Imported datasets belong to this department, reviewed by its admins like any other.
    .addColumn('department_id', 'uuid', (c) => c.notNull().references('departments.id'))
    .addColumn('schedule', 'text', (c) =>
      c.notNull().check(sql`schedule in ('manual', 'hourly', 'daily', 'weekly')`),
    )
    .addColumn('limits', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('next_run_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('catalog_harvest_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('source_id', 'uuid', (c) =>
      c.notNull().references('catalog_harvest_sources.id').onDelete('cascade'),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('running', 'succeeded', 'partial', 'failed')`),
    )
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('errors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
  await db.schema
    .createIndex('catalog_harvest_runs_source_idx')
    .on('catalog_harvest_runs')
    .columns(['source_id', 'started_at'])
    .execute();
}
