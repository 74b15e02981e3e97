import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import { compiledOnce, positional } from '../../../platform/sql-helpers.ts';
import { MirrorIndex, type MirrorRow } from './mirror-index.ts';

/** A facet value's display: departments show their code and names, themes their id and names. */
export interface FacetLabel {
  value: string;
  label: string;
  labelEn: string;
}

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
// A catch-up reads the changed rows while a search waits (10,000 take about a second); past that it
// is cheaper to build anew in the background, the searches going to SQL meanwhile.
const REBUILD_ABOVE = 10_000;
// A build that failed (the database away) is retried by a search no sooner than this.
const BUILD_RETRY_MS = 30_000;

export interface MirrorOptions {
  /** Changed rows a catch-up applies itself; more start a build in the background (default 10,000). */
  rebuildAbove?: number;
}

const ROW_COLUMNS = sql`id::text, department_id::text, theme_id, license_id, open_type, share_type,
  update_cycle, keywords_list, formats_list,
  (extract(epoch from modified_at) * 1000000)::bigint::text as modified_us,
  (extract(epoch from created_at) * 1000000)::bigint::text as created_us,
  (extract(epoch from published_at) * 1000000)::bigint::text as published_us,
  search_vector::text, changed_xid::text`;
const PUBLIC = sql`status = 'published' and open_type = 'open'`;

/**
 * What a snapshot saw, as far as the mirror needs: every transaction below xmax except those of xip
 * (in progress then) had ended. A row stamped by a transaction it did not see is one the mirror must
 * read again; all others it has read as they are.
 */
interface Snapshot {
  xmax: string;
  xip: string[];
}
// The statement's own snapshot (pg_current_snapshot is the active one), so that what it reads and what
// it records agree.
const SNAPSHOT = sql`pg_snapshot_xmax(pg_current_snapshot())::text as xmax,
  array(select x::text from pg_snapshot_xip(pg_current_snapshot()) as x) as xip`;

export class SearchMirror {
  index = new MirrorIndex();
  /** By the index's list slot: the numbers of the list's distinct items in its interner (lists never change). */
  lists: Int32Array[] = [];
  /** The snapshot the mirror is current with: transactions from xmax on, and those of xip, it has not seen. */
  private seen: Snapshot = { xmax: '0', xip: [] };
  private refreshedAt = 0;
  /** Facet labels read, kept until a load or a catch-up sees departments or themes written. */
  private labelsRead = new Map<string, FacetLabel | null>();
  /** An index as of some snapshot is held (the first build has completed). */
  private built = false;
  private building: Promise<void> | undefined;
  private buildFailedAt = 0;
  private running: Promise<boolean> | undefined;
  private queued: Promise<boolean> | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: MirrorOptions = {},
  ) {}

  /**
   * For a search: whether the mirror is current with every transaction committed before the call.
   * Not while it is (re)built — at a start, after a rebuild of the index, when idle for long — so
   * the search goes to SQL rather than wait seconds for the build, which this starts if needed.
   */
  async current(): Promise<boolean> {
    if (this.mustBuild()) {
      if (Date.now() - this.buildFailedAt > BUILD_RETRY_MS) this.build().catch(() => {});
      return false;
    }
    return this.catchUpShared();
  }

  /** Waits until the mirror is current with every transaction committed before the call. */
  async refresh(): Promise<void> {
    for (;;) {
      if (this.mustBuild()) await this.build();
      if (await this.catchUpShared()) return;
    }
  }

  private mustBuild(): boolean {
    return !this.built || !!this.building || Date.now() - this.refreshedAt > RELOAD_AFTER_MS;
  }

  /** Builds the index anew (once at a time); searches meanwhile go to SQL. */
  private build(): Promise<void> {
    // After the catch-up in progress, if any: the two must not interleave their writes to the mirror.
    this.building ??= (this.running ?? Promise.resolve(false))
      .catch(() => false)
      .then(() => this.load())
      .catch((err) => {
        this.buildFailedAt = Date.now();
        throw err;
      })
      .finally(() => {
        this.building = undefined;
      });
    return this.building;
  }

  // A catch-up already running may have started before the caller's last commit: the caller waits for
  // the next one, which all callers arriving meanwhile share.
  private catchUpShared(): Promise<boolean> {
    if (!this.running) return this.startCatchUp();
    this.queued ??= this.running
      .catch(() => false)
      .then(() => {
        this.queued = undefined;
        return this.startCatchUp();
      });
    return this.queued;
  }

  private startCatchUp(): Promise<boolean> {
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
        const snap = await sql<Snapshot>`select ${SNAPSHOT}`.execute(trx);
        let after = '00000000-0000-0000-0000-000000000000';
        for (;;) {
          const { rows } = await sql<MirrorRow>`select ${ROW_COLUMNS} from catalog_search
            where ${PUBLIC} and id > ${after}::uuid order by id limit ${LOAD_BATCH}`.execute(trx);
          for (const row of rows) index.put(row);
          if (rows.length < LOAD_BATCH) break;
          after = (rows[rows.length - 1] as MirrorRow).id;
        }
        this.seen = snap.rows[0] ?? this.seen;
      });
    index.freeze();
    this.index = index;
    this.lists = [];
    await this.fetchLists();
    this.refreshedAt = Date.now();
    this.labelsRead = new Map();
    this.built = true;
  }

  /**
   * Applies what transactions the last snapshot did not see have written and deleted since; true when
   * done. More changed rows than a search should wait for (a rebuild of the index restamps them all)
   * start a build in the background instead: false.
   */
  private async catchUp(): Promise<boolean> {
    if (this.building) return false;
    const [seen] = await changesSince(this.db, [this.seen.xmax, this.seen.xip]);
    if (!seen) return false;
    // A row stamped by a transaction this mirror has already read is unchanged since (a finished
    // transaction writes no more); only the others are read.
    const stale = seen.changed.filter(([id, xid]) => this.index.stampOf(id) !== xid).map(([id]) => id);
    if (stale.length > (this.options.rebuildAbove ?? REBUILD_ABOVE)) {
      this.build().catch(() => {});
      return false;
    }
    for (const id of seen.removed) this.index.remove(id);
    if (seen.removed.length) this.index.maintain();
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
    if (seen.labels_changed) this.labelsRead = new Map();
    this.seen = { xmax: seen.xmax, xip: seen.xip };
    this.refreshedAt = Date.now();
    return true;
  }

  /**
   * Facet labels of departments (value: their code) and themes, by "department:<id>" / "theme:<id>";
   * null for one that no longer exists. Read once and kept until the tables are written (the
   * migration's stamp, checked by every catch-up), so a rename committed before a search began is in
   * its answer, as it would be in the SQL's join.
   */
  async labels(departmentIds: string[], themeIds: string[]): Promise<Map<string, FacetLabel | null>> {
    const known = this.labelsRead;
    const depts = departmentIds.filter((id) => !known.has(`department:${id}`));
    const themes = themeIds.filter((id) => !known.has(`theme:${id}`));
    if (depts.length || themes.length) {
      const { rows } = await sql<{
        kind: string;
        key: string;
        value: string;
        name_zh: string;
        name_en: string;
      }>`
        select 'department' as kind, id::text as key, code as value, name_zh, name_en
          from departments where id = any(${depts}::uuid[])
        union all
        select 'theme', id, id, name_zh, name_en from catalog_themes where id = any(${themes}::text[])`.execute(
        this.db,
      );
      for (const id of depts) known.set(`department:${id}`, null);
      for (const id of themes) known.set(`theme:${id}`, null);
      for (const r of rows)
        known.set(`${r.kind}:${r.key}`, { value: r.value, label: r.name_zh, labelEn: r.name_en });
    }
    return known;
  }

  /** Reads the keyword and format lists the held resources use that are not yet known. */
  private async fetchLists(): Promise<void> {
    const listIds = this.index.listSlots.texts;
    const missing: number[] = [];
    for (let slot = this.lists.length; slot < listIds.length; slot++) missing.push(listIds[slot] as number);
    if (missing.length === 0) return;
    const { rows } = await sql<{ id: number; items: string[] }>`
      select id, items from catalog_search_lists where id = any(${missing}::int[])`.execute(this.db);
    const byId = new Map(rows.map((row) => [row.id, row.items]));
    const values = this.index.values;
    // A list id always exists (a foreign key); an empty list stands in should one be missing.
    for (let slot = this.lists.length; slot < listIds.length; slot++)
      this.lists.push(
        Int32Array.from(new Set(byId.get(listIds[slot] as number) ?? []), (item) => values.numberOf(item)),
      );
  }
}

// One mirror per database handle, as the result cache (search-cache.ts).
// What transactions a snapshot (xmax $1, in progress $2) did not see have stamped since: run before
// every mirrored search, so compiled once and prepared by name.
const unseen = (column: string) =>
  sql`${sql.ref(column)} >= ${positional(1)}::xid8 or ${sql.ref(column)} = any(${positional(2)}::xid8[])`;
const changesSince = compiledOnce<
  Snapshot & { changed: [string, string][]; removed: string[]; labels_changed: boolean }
>((db) => ({
  compile: () =>
    sql`select ${SNAPSHOT},
      (select ${unseen('changed_xid')} from catalog_label_changes) as labels_changed,
      coalesce((select json_agg(json_build_array(id, changed_xid::text)) from catalog_search
                where ${unseen('changed_xid')}), '[]') as changed,
      coalesce((select json_agg(id) from catalog_search_removed where ${unseen('removed_xid')}), '[]') as removed`.compile(
      db,
    ),
}));

const mirrors = new WeakMap<Db, SearchMirror>();

function mirrorOf(db: Db): SearchMirror {
  let mirror = mirrors.get(db);
  if (!mirror) {
    mirror = new SearchMirror(db);
    mirrors.set(db, mirror);
  }
  return mirror;
}

/** The database's public search mirror, up to date with every commit before the call (waits for a build). */
export async function publicSearchMirror(db: Db): Promise<SearchMirror> {
  const mirror = mirrorOf(db);
  await mirror.refresh();
  return mirror;
}

/** The mirror if it is current with every commit before the call; undefined while it is being built. */
export async function currentSearchMirror(db: Db): Promise<SearchMirror | undefined> {
  const mirror = mirrorOf(db);
  return (await mirror.current()) ? mirror : undefined;
}

/** Starts building the mirror now, so that the first public search after a start need not wait. */
export function warmSearchMirror(db: Db, onError: (err: unknown) => void): void {
  publicSearchMirror(db).catch(onError);
}
