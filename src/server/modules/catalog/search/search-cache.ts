import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Db } from '../../../platform/db.ts';

// Public search results are cached per process, each tagged with the catalog generation it was
// computed at: a counter that every catalog write bumps in its own transaction. A hit is served only
// when the generation has not moved since, so an edit is visible to the next search on every node —
// Solr's query-result cache, dropped at each commit. The entries also expire after a minute, which
// bounds how stale download counts (not catalog writes) and freshness flags can get.

const MAX_ENTRIES = 1000;
const TTL_MS = 60_000;

interface Entry<T> {
  generation: number;
  value: T;
}

// One cache per database handle: tests and tools may open several databases in one process.
const caches = new WeakMap<Db, LRUCache<string, Entry<unknown>>>();

function cacheOf(db: Db) {
  let cache = caches.get(db);
  if (!cache) {
    cache = new LRUCache({ max: MAX_ENTRIES, ttl: TTL_MS });
    caches.set(db, cache);
  }
  return cache;
}

/** Marks the catalog changed (call inside the writing transaction). */
export async function bumpCatalogGeneration(trx: Db): Promise<void> {
  await trx.updateTable('catalog_generation').set({ value: sql`value + 1` }).where('id', '=', 1).execute();
}

/** The committed catalog generation. */
export async function catalogGeneration(db: Db): Promise<number> {
  const row = await db
    .selectFrom('catalog_generation')
    .select('value')
    .where('id', '=', 1)
    .executeTakeFirst();
  return row?.value ?? 0;
}

/** The cached value for `key` if computed at the current generation; otherwise computes and keeps it. */
export async function cachedSearch<T>(db: Db, key: string, compute: () => Promise<T>): Promise<T> {
  const cache = cacheOf(db);
  const generation = await catalogGeneration(db);
  const hit = cache.get(key);
  if (hit && hit.generation === generation) return hit.value as T;
  const value = await compute();
  cache.set(key, { generation, value });
  return value;
}
