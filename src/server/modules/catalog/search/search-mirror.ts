import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import { MirrorIndex, type MirrorRow } from './mirror-index.ts';

// The public search mirror: the published, open resources of catalog_search held in memory, so that
// an uncached public search ranks and counts its matches without visiting thousands of table rows
// (in PostgreSQL a search matching 4,500 of 100,000 resources spends most of its 15 ms reading them).
// The Postgres index stays the index: the mirror is built from its rows and lexemes, follows the
// table through its change stamps (migration 2026-12-06T2100) before every search, so an edit is
// seen by the next search on every node, and answers only what it answers exactly as the SQL does
// (mirror-search.ts); everything else goes to SQL.

const LOAD_BATCH = 5000;
// Tombstones are kept a day (the migration); a mirror that has not looked for longer reloads.
const RELOAD_AFTER_MS = 12 * 3600_000;

const ROW_COLUMNS = sql`id::text, department_id::text, theme_id, license_id, open_type, share_type,
  update_cycle, keywords_list, formats_list,
  (extract(epoch from modified_at) * 1000000)::bigint::text as modified_us,
  (extract(epoch from created_at) * 1000000)::bigint::text as created_us,
  (extract(epoch from published_at) * 1000000)::bigint::text as published_us,
  search_vector::text, changed_xid::text`;
const PUBLIC = sql`status = 'published' and open_type = 'open'`;

export class SearchMirror {
  index = new MirrorIndex();
  /** List id → the numbers of its distinct items in the index's interner (lists never change). */
  lists = new Map<number, Int32Array>();
  private xmin = '0';
  private refreshedAt = 0;
  private loaded: Promise<void> | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  /** Brings the mirror up to date with every transaction committed before the call. */
  async refresh(): Promise<void> {
    if (!this.loaded || Date.now() - this.refreshedAt > RELOAD_AFTER_MS) {
      this.refreshedAt = Date.now();
      this.loaded = this.load().catch((err) => {
        this.loaded = undefined;
        throw err;
      });
    }
    await this.loaded;
    // A refresh already running may have started before the caller's last commit: the caller waits for
    // the next one, which all callers arriving meanwhile share.
    if (!this.running) return this.startRefresh();
    if (!this.queued) {
      this.queued = this.running
        .catch(() => {})
        .then(() => {
          this.queued = undefined;
          return this.startRefresh();
        });
    }
    return this.queued;
  }

  private startRefresh(): Promise<void> {
    this.running = this.catchUp().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The whole public catalog as of one snapshot. */
  private async load(): Promise<void> {
    const index = new MirrorIndex();
    await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const snap = await sql<{ xmin: string }>`
          select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(trx);
        let after = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          const { rows } = await sql<MirrorRow>`select ${ROW_COLUMNS} from catalog_search
            where ${PUBLIC} and id > ${after}::uuid order by id limit ${LOAD_BATCH}`.execute(trx);
          for (const row of rows) index.put(row);
          if (rows.length < LOAD_BATCH) break;
          after = (rows[rows.length - 1] as MirrorRow).id;
        }
        this.xmin = snap.rows[0]?.xmin ?? '0';
      });
    index.freeze();
    this.index = index;
    this.lists = new Map();
    await this.fetchLists();
    this.refreshedAt = Date.now();
  }

  /** Applies what changed since the last look: rows stamped, and tombstones left, at or after xmin. */
  private async catchUp(): Promise<void> {
    const { rows } = await sql<{ xmin: string; changed: [string, string][]; removed: string[] }>`
      select pg_snapshot_xmin(pg_current_snapshot())::text as xmin,
        coalesce((select json_agg(json_build_array(id, changed_xid::text)) from catalog_search
                  where changed_xid >= ${this.xmin}::xid8), '[]') as changed,
        coalesce((select json_agg(id) from catalog_search_removed
                  where removed_xid >= ${this.xmin}::xid8), '[]') as removed`.execute(this.db);
    const seen = rows[0];
    if (!seen) return;
    for (const id of seen.removed) this.index.remove(id);
    if (seen.removed.length) this.index.maintain();
    // A row stamped by a transaction this mirror has already read is unchanged since (a finished
    // transaction writes no more); only the others are read.
    const stale = seen.changed.filter(([id, xid]) => this.index.stampOf(id) !== xid).map(([id]) => id);
    if (stale.length) {
      const fresh = await sql<MirrorRow & { public: boolean }>`
        select ${ROW_COLUMNS}, (${PUBLIC}) as public from catalog_search
        where id = any(${stale}::uuid[])`.execute(this.db);
      const found = new Set<string>();
      for (const row of fresh.rows) {
        found.add(row.id);
        if (row.public) this.index.put(row);
        else this.index.remove(row.id);
      }
      for (const id of stale) if (!found.has(id)) this.index.remove(id);
      this.index.maintain();
      await this.fetchLists();
    }
    this.xmin = seen.xmin;
    this.refreshedAt = Date.now();
  }

  /** Reads the keyword and format lists the held resources use that are not yet known. */
  private async fetchLists(): Promise<void> {
    const missing = new Set<number>();
    for (const doc of this.index.docs) {
      if (!doc) continue;
      if (!this.lists.has(doc.keywordsList)) missing.add(doc.keywordsList);
      if (!this.lists.has(doc.formatsList)) missing.add(doc.formatsList);
    }
    if (missing.size === 0) return;
    const { rows } = await sql<{ id: number; items: string[] }>`
      select id, items from catalog_search_lists where id = any(${[...missing]}::int[])`.execute(this.db);
    const values = this.index.values;
    for (const row of rows)
      this.lists.set(
        row.id,
        Int32Array.from(new Set(row.items), (item) => values.numberOf(item)),
      );
  }
}

// One mirror per database handle, as the result cache (search-cache.ts).
const mirrors = new WeakMap<Db, SearchMirror>();

/** The database's public search mirror, up to date with every commit before the call. */
export async function publicSearchMirror(db: Db): Promise<SearchMirror> {
  let mirror = mirrors.get(db);
  if (!mirror) {
    mirror = new SearchMirror(db);
    mirrors.set(db, mirror);
  }
  await mirror.refresh();
  return mirror;
}
