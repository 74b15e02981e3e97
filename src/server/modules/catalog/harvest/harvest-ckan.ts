import { HarvestFetchError } from './harvest-fetch.ts';
import type { RemoteDataset, RemoteDistribution } from './harvest-mapping.ts';
import type { GatherEnv, GatherItem, GatherPage } from './harvest-types.ts';

// Gathering from a CKAN Action API (v3), as ckanext-harvest's CKANHarvester does: package_search
// pages of 100 in a stable order, each package dict complete with its resources, so no separate
// fetch stage is needed. Works against CKAN itself and against Civitas's CKAN layer, whose extra
// top-level keys (title_en, notes_en, update_cycle, resource_code …) are read when present.

const ROWS = 100;

/** The action API base of a CKAN portal given as its site, /api, /api/3 or /api/3/action address. */
export function ckanActionBase(url: string): string {
  const u = new URL(url);
  u.search = '';
  u.hash = '';
  const path = u.pathname.replace(/\/+$/, '').replace(/\/api(\/3(\/action)?)?$/, '');
  return `${u.origin}${path}/api/3/action`;
}

type Dict = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Pages of remote datasets from package_search (sorted by name: stable while paging). */
export async function* gatherCkan(sourceUrl: string, env: GatherEnv): AsyncGenerator<GatherPage> {
  const base = ckanActionBase(sourceUrl);
  let start = 0;
  for (;;) {
    const params = new URLSearchParams({ rows: String(ROWS), start: String(start), sort: 'name asc' });
    const fetched = await env.fetchPage(`${base}/package_search?${params}`, 'application/json');
    const { count, results } = parseSearch(fetched.body, fetched.url);
    yield { items: results.flatMap((pkg) => packageItem(pkg) ?? []) };
    start += results.length;
    if (results.length === 0 || start >= count) return;
  }
}

function parseSearch(body: Buffer, url: string): { count: number; results: unknown[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HarvestFetchError(`${url} did not answer JSON`);
  }
  if (!isDict(doc)) throw new HarvestFetchError(`${url} did not answer a CKAN action result`);
  if (doc.success !== true) {
    const error = isDict(doc.error) ? (str(doc.error.message) ?? str(doc.error.__type)) : undefined;
    throw new HarvestFetchError(`CKAN package_search failed at ${url}: ${error ?? 'success is not true'}`);
  }
  const result = doc.result;
  if (!isDict(result) || !Array.isArray(result.results) || typeof result.count !== 'number')
    throw new HarvestFetchError(`${url} did not answer a package_search result (count, results)`);
  return { count: result.count, results: result.results };
}

/**
 * A package dict as a remote dataset; undefined for what is not a public dataset (harvest sources,
 * private or deleted ones), which then counts as gone from the source.
 */
function packageItem(pkg: unknown): GatherItem | undefined {
  if (!isDict(pkg)) return { error: 'a search result that is not a package dictionary' };
  const id = str(pkg.id);
  if (!id) return { error: `package "${str(pkg.name) ?? '?'}" has no id` };
  if (pkg.type === 'harvest' || pkg.private === true || (pkg.state !== undefined && pkg.state !== 'active'))
    return undefined;
  try {
    return mapPackage(pkg, id);
  } catch (err) {
    return { remoteId: id, error: (err as Error).message };
  }
}

// ckanext-fluent / scheming keep translations in *_translated dicts keyed by language.
function translated(pkg: Dict, field: string): { zh?: string; en?: string } {
  const t = pkg[`${field}_translated`];
  if (!isDict(t)) return {};
  const zh = str(t.zh) ?? str(t.zh_CN) ?? str(t['zh-CN']) ?? str(t['zh-Hans']) ?? str(t.zh_Hans);
  return { zh, en: str(t.en) };
}

function mapPackage(pkg: Dict, id: string): RemoteDataset {
  const title = translated(pkg, 'title');
  const notes = translated(pkg, 'notes');
  const extras: Record<string, string> = {};
  if (Array.isArray(pkg.extras)) {
    for (const e of pkg.extras) {
      if (isDict(e) && str(e.key)) extras[str(e.key) as string] = str(e.value) ?? JSON.stringify(e.value);
    }
  }
  const tags = Array.isArray(pkg.tags)
    ? pkg.tags.flatMap((t) =>
        isDict(t) && str(t.name) ? [str(t.name) as string] : typeof t === 'string' ? [t] : [],
      )
    : [];
  const groups = Array.isArray(pkg.groups)
    ? pkg.groups.flatMap((g) => (isDict(g) && str(g.name) ? [str(g.name) as string] : []))
    : [];
  const org = isDict(pkg.organization) ? pkg.organization : undefined;
  const resources: RemoteDistribution[] = Array.isArray(pkg.resources)
    ? pkg.resources.filter(isDict).map((r) => ({
        name: str(r.name) ?? '',
        url: str(r.url) ?? '',
        format: str(r.format) ?? '',
        description: str(r.description) ?? '',
        kind: r.resource_type === 'api' ? 'api' : 'link',
      }))
    : [];
  const spatial = Array.isArray(pkg.spatial_codes)
    ? pkg.spatial_codes.flatMap((c) => str(c) ?? [])
    : undefined;
  return {
    remoteId: id,
    name: str(pkg.name),
    titleZh: title.zh ?? str(pkg.title),
    titleEn: title.en ?? str(pkg.title_en),
    descriptionZh: notes.zh ?? str(pkg.notes),
    descriptionEn: notes.en ?? str(pkg.notes_en),
    keywords: tags,
    license: str(pkg.license_id) || str(pkg.license_url) || str(pkg.license_title),
    identifier: str(pkg.resource_code) ?? str(pkg.identifier) ?? id,
    themes: groups,
    updateCycle: str(pkg.update_cycle),
    formatClass: str(pkg.format_class),
    catalogKind: str(pkg.catalog_kind),
    spatialCodes: spatial,
    temporalStart: str(pkg.temporal_start),
    temporalEnd: str(pkg.temporal_end),
    contact: {
      name: str(pkg.maintainer) ?? str(pkg.author),
      email: str(pkg.maintainer_email) ?? str(pkg.author_email),
    },
    dataItems: pkg.data_items,
    publisher: org ? (str(org.title) ?? str(org.name)) : undefined,
    extras,
    distributions: resources,
  };
}
