import { sql } from 'kysely';
import type { DataItem } from '../../../contracts/catalog.ts';
import type { Db } from '../../platform/db.ts';
import { loadSegmenter } from '../../platform/text/index.ts';
import { bumpCatalogGeneration } from './search/search-cache.ts';
import { searchDocumentOf, vectorSql } from './search-document.ts';

// Edits keep the index current in their own transaction; this rebuild exists for migrations that
// change how documents are analysed (a new dictionary, new weights). It walks the catalog in id
// order, analyses a batch in Node and writes it back with one UPDATE … FROM unnest(…) per batch, so
// each batch commits on its own and a rebuild can be interrupted and run again. The narrow search rows
// (catalog_search) follow by the table's trigger, in the same statements.

export interface RebuildReport {
  rows: number;
  batches: number;
  seconds: number;
}

interface SourceRow {
  id: string;
  name: string;
  resource_code: string;
  title_zh: string;
  title_en: string;
  description_zh: string;
  description_en: string;
  keywords: string[];
  data_items: DataItem[];
  department_name_zh: string;
  department_name_en: string;
  theme_name_zh: string | null;
  theme_name_en: string | null;
}

async function batchAfter(db: Db, afterId: string | null, size: number): Promise<SourceRow[]> {
  let q = db
    .selectFrom('catalog_datasets as ds')
    .innerJoin('departments as d', 'd.id', 'ds.department_id')
    .leftJoin('catalog_themes as t', 't.id', 'ds.theme_id')
    .select([
      'ds.id',
      'ds.name',
      'ds.resource_code',
      'ds.title_zh',
      'ds.title_en',
      'ds.description_zh',
      'ds.description_en',
      'ds.keywords',
      'ds.data_items',
      'd.name_zh as department_name_zh',
      'd.name_en as department_name_en',
      't.name_zh as theme_name_zh',
      't.name_en as theme_name_en',
    ])
    .orderBy('ds.id')
    .limit(size);
  if (afterId) q = q.where('ds.id', '>', afterId);
  return (await q.execute()) as SourceRow[];
}

/** The batch's ids and analysed texts as ten parallel arrays, in the order writeBatch unnests them. */
function analyse(batch: readonly SourceRow[]): string[][] {
  const columns: string[][] = Array.from({ length: 10 }, () => []);
  for (const r of batch) {
    const doc = searchDocumentOf(
      {
        name: r.name,
        resourceCode: r.resource_code,
        titleZh: r.title_zh,
        titleEn: r.title_en,
        descriptionZh: r.description_zh,
        descriptionEn: r.description_en,
        keywords: r.keywords,
        dataItems: r.data_items,
      },
      {
        departmentNameZh: r.department_name_zh,
        departmentNameEn: r.department_name_en,
        themeNameZh: r.theme_name_zh,
        themeNameEn: r.theme_name_en,
      },
    );
    const values = [r.id, ...doc.simple, ...doc.english, doc.text];
    for (let i = 0; i < values.length; i++) columns[i]?.push(values[i] as string);
  }
  return columns;
}

async function writeBatch(db: Db, columns: string[][]): Promise<void> {
  const [ids, sa, sb, sc, sd, ea, eb, ec, ed, text] = columns;
  const u = (c: string) => sql.ref(`u.${c}`);
  await sql`
    update catalog_datasets as ds
    set search_vector = ${vectorSql([u('sa'), u('sb'), u('sc'), u('sd')], [u('ea'), u('eb'), u('ec'), u('ed')])},
        search_text = u.text
    from unnest(${ids}::uuid[], ${sa}::text[], ${sb}::text[], ${sc}::text[], ${sd}::text[],
                ${ea}::text[], ${eb}::text[], ${ec}::text[], ${ed}::text[], ${text}::text[])
         as u(id, sa, sb, sc, sd, ea, eb, ec, ed, text)
    where ds.id = u.id`.execute(db);
}

/**
 * Recomputes every resource's search columns; returns how many and how long. Node analyses the next
 * batch while the database writes the current one, so on PostgreSQL the two cores work at once.
 */
export async function rebuildSearchIndex(
  db: Db,
  options: { batchSize?: number; onProgress?: (rows: number) => void } = {},
): Promise<RebuildReport> {
  const started = performance.now();
  const size = options.batchSize ?? 2000;
  loadSegmenter();
  let rows = 0;
  let batches = 0;
  let batch = await batchAfter(db, null, size);
  let columns = analyse(batch);
  while (batch.length > 0) {
    const written = writeBatch(db, columns);
    // Awaited below; until then a failure must not count as an unhandled rejection.
    written.catch(() => {});
    const last = batch[batch.length - 1]?.id ?? null;
    const count = batch.length;
    batch = await batchAfter(db, last, size);
    columns = analyse(batch);
    await written;
    rows += count;
    batches += 1;
    options.onProgress?.(rows);
  }
  await bumpCatalogGeneration(db);
  // Every row now has a dead old version in both tables, which searches would step over until a
  // vacuum; PGlite has no autovacuum at all. Reclaim them now, and refresh the planner's statistics.
  await sql`vacuum (analyze) catalog_search, catalog_datasets`.execute(db);
  return { rows, batches, seconds: (performance.now() - started) / 1000 };
}
