import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';

// The few reads the CKAN layer needs beyond the catalog services: organizations (departments) and
// groups (themes) with their public dataset counts, names and tags of the public catalog.

const PUBLIC = sql<boolean>`(ds.status = 'published' and ds.open_type = 'open')`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the text has the shape of a UUID (ids), so it is never compared with a uuid column otherwise. */
export const isUuid = (s: string) => UUID.test(s);

export interface OrganizationRow {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  path: string;
  createdAt: Date;
  packageCount: number;
}

function organizations(db: Db) {
  return db
    .selectFrom('departments as d')
    .leftJoin('catalog_datasets as ds', (j) => j.onRef('ds.department_id', '=', 'd.id').on(PUBLIC))
    .select([
      'd.id',
      'd.code',
      'd.name_zh as nameZh',
      'd.name_en as nameEn',
      'd.path',
      'd.created_at as createdAt',
      sql<number>`count(ds.id)::int`.as('packageCount'),
    ])
    .where('d.active', '=', true)
    .groupBy(['d.id', 'd.code', 'd.name_zh', 'd.name_en', 'd.path', 'd.created_at']);
}

/** Active departments with their count of public datasets, by code. */
export async function listOrganizations(db: Db): Promise<OrganizationRow[]> {
  return (await organizations(db).orderBy(sql`lower(d.code)`).execute()) as OrganizationRow[];
}

/** An active department by id, code or CKAN name (the code in lower case). */
export async function findOrganization(db: Db, ref: string): Promise<OrganizationRow | undefined> {
  const q = organizations(db);
  const row = await (isUuid(ref)
    ? q.where('d.id', '=', ref)
    : q.where(sql`lower(d.code)`, '=', ref.toLowerCase())
  ).executeTakeFirst();
  return row as OrganizationRow | undefined;
}

export interface GroupRow {
  id: string;
  nameZh: string;
  nameEn: string;
  packageCount: number;
}

function groups(db: Db) {
  return db
    .selectFrom('catalog_themes as t')
    .leftJoin('catalog_datasets as ds', (j) => j.onRef('ds.theme_id', '=', 't.id').on(PUBLIC))
    .select([
      't.id',
      't.name_zh as nameZh',
      't.name_en as nameEn',
      sql<number>`count(ds.id)::int`.as('packageCount'),
    ])
    .groupBy(['t.id', 't.name_zh', 't.name_en', 't.position']);
}

/** Themes with their count of public datasets, in the catalog's order. */
export async function listGroups(db: Db): Promise<GroupRow[]> {
  return (await groups(db).orderBy('t.id').execute()) as GroupRow[];
}

export async function findGroup(db: Db, id: string): Promise<GroupRow | undefined> {
  return (await groups(db).where('t.id', '=', id).executeTakeFirst()) as GroupRow | undefined;
}

/** Names of public datasets, alphabetically (CKAN package_list). */
export async function listPublicNames(db: Db, limit: number, offset: number): Promise<string[]> {
  const rows = await db
    .selectFrom('catalog_datasets as ds')
    .select('ds.name')
    .where(PUBLIC)
    .orderBy('ds.name')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => r.name);
}

/** Distinct keywords of public datasets containing `query` (case-insensitive), alphabetically. */
export async function listPublicTags(db: Db, query: string | undefined, limit: number, offset: number) {
  const like = query ? `%${query.toLowerCase().replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await sql<{ tag: string }>`
    select distinct k.v as tag
    from catalog_datasets ds cross join unnest(ds.keywords) as k(v)
    where ${PUBLIC} ${like ? sql`and lower(k.v) like ${like}` : sql``}
    order by tag
    limit ${limit} offset ${offset}`.execute(db);
  return rows.map((r) => r.tag);
}
