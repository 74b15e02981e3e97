import type { Quad } from 'n3';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { invalid } from '../../../platform/errors.ts';
import { toDatasetDto } from '../catalog.presenter.ts';
import { listLicenses, listThemes } from '../catalog-info.service.ts';
import { type DatasetView, distributionsOf } from '../dataset.repository.ts';
import { getDataset } from '../dataset.service.ts';
import { type CatalogSearchRequest, searchCatalog } from '../search.service.ts';
import { findCatalogPublisher, publicCatalogModified } from './dcat.repository.ts';
import { type CatalogInfo, type DcatContext, DcatGraph } from './dcat-graph.ts';

// The DCAT-AP export's use cases: a page of the public catalog (published, open resources only, as
// ckanext-dcat pages /catalog.ttl) and one resource as its caller may see it.

/** Resources per catalog page (ckanext-dcat's default). */
export const CATALOG_PAGE_SIZE = 100;

/** How the catalog describes itself; the lead may configure it per deployment. */
export interface CatalogDescription {
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
}

export const DEFAULT_CATALOG_DESCRIPTION: CatalogDescription = {
  titleZh: '公共数据开放目录',
  titleEn: 'Open data catalogue',
  descriptionZh: '本平台向社会开放的政务数据资源目录。',
  descriptionEn: 'The government data resources this portal opens to the public.',
};

export interface CatalogPageRequest {
  /** The portal's address without a trailing slash. */
  baseUrl: string;
  /** 1-based. */
  page: number;
  /** Only resources changed at or after this time (ISO 8601 date or date-time). */
  modifiedSince?: string | undefined;
  /** The address of another page of the same listing (same format and filter). */
  pageUrl: (page: number) => string;
  /** Defaults to CATALOG_PAGE_SIZE. */
  pageSize?: number | undefined;
  description?: Partial<CatalogDescription> | undefined;
}

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `modified_since` as an instant; a date or a time without a zone is read as UTC. 400 when it is not a date. */
export function parseModifiedSince(value: string): Date {
  // An unencoded '+' of a zone offset arrives as a space in a query string.
  const v = value.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$/i, '$1+$2');
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(v) || !v.includes(':') ? v : `${v}Z`;
  const at = ISO_DATE_TIME.test(v) ? new Date(zoned.replace(' ', 'T')) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime()))
    throw invalid('catalog.invalid_modified_since', 'modified_since must be an ISO 8601 date or date-time', {
      fields: [{ path: '/modified_since', message: 'Not an ISO 8601 date or date-time' }],
    });
  return at;
}

async function dcatContext(ctx: AppContext, baseUrl: string): Promise<DcatContext> {
  return { baseUrl, themes: await listThemes(ctx), licenses: listLicenses() };
}

/** One page of the public catalog as DCAT-AP 3 quads, with its Hydra paging. */
export async function catalogPage(ctx: AppContext, req: CatalogPageRequest): Promise<Quad[]> {
  const since = req.modifiedSince === undefined ? undefined : parseModifiedSince(req.modifiedSince);
  const filter: CatalogSearchRequest['filter'] = since
    ? { kind: 'range', field: 'metadata_modified', from: since.toISOString(), to: null }
    : null;
  const size = req.pageSize ?? CATALOG_PAGE_SIZE;
  const result = await searchCatalog(ctx, undefined, {
    filter,
    includePrivate: false,
    sort: 'modified',
    offset: (req.page - 1) * size,
    limit: size,
    facets: [],
  });
  const [datasets, publisher, modified, dcat] = await Promise.all([
    withDistributions(ctx, result.rows),
    findCatalogPublisher(ctx.db),
    publicCatalogModified(ctx.db),
    dcatContext(ctx, req.baseUrl),
  ]);
  const info: CatalogInfo = {
    ...DEFAULT_CATALOG_DESCRIPTION,
    ...req.description,
    publisher: publisher
      ? { code: publisher.code, nameZh: publisher.name_zh, nameEn: publisher.name_en }
      : { code: null, nameZh: 'Civitas', nameEn: 'Civitas' },
    modified: modified?.toISOString() ?? null,
  };
  const lastPage = Math.max(1, Math.ceil(result.total / size));
  const graph = new DcatGraph(dcat);
  graph.addCatalog(info, datasets, {
    pageUrl: req.pageUrl(req.page),
    firstUrl: req.pageUrl(1),
    lastUrl: req.pageUrl(lastPage),
    nextUrl: req.page < lastPage ? req.pageUrl(req.page + 1) : null,
    previousUrl: req.page > 1 ? req.pageUrl(Math.min(req.page - 1, lastPage)) : null,
    totalItems: result.total,
    itemsPerPage: size,
  });
  for (const ds of datasets) graph.addDataset(ds);
  return graph.quads();
}

/** One resource as DCAT-AP 3 quads, if the actor may see it (404, 401 or 403 otherwise). */
export async function datasetDocument(
  ctx: AppContext,
  actor: Actor | undefined,
  baseUrl: string,
  name: string,
): Promise<Quad[]> {
  const ds = await getDataset(ctx, actor, { name });
  const graph = new DcatGraph(await dcatContext(ctx, baseUrl));
  graph.addDataset(ds);
  return graph.quads();
}

async function withDistributions(ctx: AppContext, rows: readonly DatasetView[]) {
  const distributions = await distributionsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const byDataset = Map.groupBy(distributions, (d) => d.dataset_id);
  return rows.map((row) => toDatasetDto(row, byDataset.get(row.id) ?? []));
}
