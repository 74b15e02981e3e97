import { sql } from 'kysely';
import type { Db } from '../../../platform/db.ts';
import type { FqNode } from './fq-parser.ts';
import type { MirrorDoc } from './mirror-index.ts';
import type { SearchMirror } from './search-mirror.ts';

// Filters of public searches (the portal's facet choices, CKAN's fq) evaluated on the mirror's
// documents with the meaning search-filters.ts gives them in SQL. Department and theme terms are
// resolved to ids by one statement (codes compare case-insensitively, a theme includes its
// children); the fields the mirror does not hold (kind, sensitivity, code, name, id, title, dates)
// and ranges send the search to SQL.

// SQL's three values: a comparison with a NULL column is unknown (null), and `not` keeps it unknown,
// so `-license:x` leaves out a resource without licence just as the SQL does.
type Truth = boolean | null;
type Test = (doc: MirrorDoc) => Truth;
type Predicate = (doc: MirrorDoc) => boolean;

const DEPARTMENT_FIELDS = new Set(['department', 'organization', 'owner_org']);
const THEME_FIELDS = new Set(['theme', 'groups']);
const SCALARS: Record<string, (d: MirrorDoc) => number> = {
  license: (d) => d.licenseId,
  license_id: (d) => d.licenseId,
  open_type: (d) => d.openType,
  share_type: (d) => d.shareType,
  update_cycle: (d) => d.updateCycle,
};
const LISTS: Record<string, { of: (d: MirrorDoc) => number; normalise: (v: string) => string }> = {
  tags: { of: (d) => d.keywordsSlot, normalise: (v) => v },
  format: { of: (d) => d.formatsSlot, normalise: (v) => v.toUpperCase() },
  res_format: { of: (d) => d.formatsSlot, normalise: (v) => v.toUpperCase() },
};
// Every public resource is published and open: what these say about it is known without looking.
const KNOWN: Record<string, (v: string) => boolean> = {
  state: (v) => v.toLowerCase() === 'active',
  status: (v) => v === 'published',
  private: (v) => v.toLowerCase() !== 'true',
};

/** Whether the mirror can evaluate the filter. */
export function mirrorableFilter(node: FqNode): boolean {
  switch (node.kind) {
    case 'term':
      return (
        (node.value === '*' && !node.exact) ||
        DEPARTMENT_FIELDS.has(node.field) ||
        THEME_FIELDS.has(node.field) ||
        node.field in SCALARS ||
        node.field in LISTS ||
        node.field in KNOWN
      );
    case 'range':
      return false;
    case 'and':
    case 'or':
      return node.children.every(mirrorableFilter);
    case 'not':
      return mirrorableFilter(node.child);
  }
}

interface Resolved {
  departments: Map<string, Set<string>>;
  themes: Map<string, Set<string>>;
}

/** The department and theme ids each department or theme term stands for, as the SQL finds them. */
async function resolve(db: Db, node: FqNode): Promise<Resolved> {
  const byCode: string[] = [];
  const byIdOrCode: string[] = [];
  const themes: string[] = [];
  const walk = (n: FqNode) => {
    if (n.kind === 'term') {
      if (n.field === 'owner_org') byIdOrCode.push(n.value);
      else if (DEPARTMENT_FIELDS.has(n.field)) byCode.push(n.value);
      else if (THEME_FIELDS.has(n.field)) themes.push(n.value);
    } else if (n.kind === 'and' || n.kind === 'or') n.children.forEach(walk);
    else if (n.kind === 'not') walk(n.child);
  };
  walk(node);
  const resolved: Resolved = { departments: new Map(), themes: new Map() };
  if (byCode.length + byIdOrCode.length + themes.length === 0) return resolved;
  const { rows } = await sql<{ kind: string; term: string; id: string }>`
    select 'code' as kind, v as term, d.id::text as id
      from unnest(${byCode}::text[]) as v join departments d on lower(d.code) = lower(v)
    union all
    select 'owner', v, d.id::text
      from unnest(${byIdOrCode}::text[]) as v join departments d on d.id::text = v or lower(d.code) = lower(v)
    union all
    select 'theme', v, t.id from unnest(${themes}::text[]) as v join catalog_themes t on t.id = v or t.parent_id = v`.execute(
    db,
  );
  for (const r of rows) {
    const map = r.kind === 'theme' ? resolved.themes : resolved.departments;
    const key = `${r.kind}:${r.term}`;
    const ids = map.get(key) ?? new Set<string>();
    ids.add(r.id);
    map.set(key, ids);
  }
  return resolved;
}

/** The filter as a test of a held document; undefined when the mirror cannot evaluate it. */
export async function mirrorPredicate(
  db: Db,
  mirror: SearchMirror,
  node: FqNode,
): Promise<Predicate | undefined> {
  if (!mirrorableFilter(node)) return undefined;
  const resolved = await resolve(db, node);
  const values = mirror.index.values;
  const numbersOf = (ids: Set<string> | undefined) => new Set([...(ids ?? [])].map((id) => values.find(id)));
  const compile = (n: FqNode): Test => {
    switch (n.kind) {
      case 'term': {
        if (n.value === '*' && !n.exact) return () => true;
        const known = KNOWN[n.field];
        if (known) {
          const answer = known(n.value);
          return () => answer;
        }
        if (DEPARTMENT_FIELDS.has(n.field)) {
          const key = `${n.field === 'owner_org' ? 'owner' : 'code'}:${n.value}`;
          const wanted = numbersOf(resolved.departments.get(key));
          return (d) => wanted.has(d.departmentId);
        }
        if (THEME_FIELDS.has(n.field)) {
          // theme_id in (subquery): false when the subquery is empty, unknown for a NULL theme.
          const wanted = numbersOf(resolved.themes.get(`theme:${n.value}`));
          return (d) => (wanted.size === 0 ? false : d.themeId < 0 ? null : wanted.has(d.themeId));
        }
        const scalar = SCALARS[n.field];
        if (scalar) {
          const wanted = values.find(n.value);
          return (d) => (scalar(d) < 0 ? null : scalar(d) === wanted);
        }
        const list = LISTS[n.field] as (typeof LISTS)[string];
        const item = values.find(list.normalise(n.value));
        return (d) => mirror.lists[list.of(d)]?.includes(item) ?? false;
      }
      case 'and': {
        const parts = n.children.map(compile);
        return (d) => {
          let result: Truth = true;
          for (const p of parts) {
            const t = p(d);
            if (t === false) return false;
            if (t === null) result = null;
          }
          return result;
        };
      }
      case 'or': {
        const parts = n.children.map(compile);
        return (d) => {
          let result: Truth = false;
          for (const p of parts) {
            const t = p(d);
            if (t === true) return true;
            if (t === null) result = null;
          }
          return result;
        };
      }
      case 'not': {
        const inner = compile(n.child);
        return (d) => {
          const t = inner(d);
          return t === null ? null : !t;
        };
      }
      case 'range':
        throw new Error('ranges are not mirrored');
    }
  };
  const test = compile(node);
  return (d) => test(d) === true;
}
