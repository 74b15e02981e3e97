import type { LicenseDto, PortalOverviewDto, ThemeDto, VersionDto } from '../../../contracts/catalog.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { toSummaryDto } from './catalog.presenter.ts';
import { findDatasetView } from './dataset.repository.ts';
import { assertCanView } from './dataset.service.ts';
import { datasetNotFound } from './dataset-write.ts';
import { toVersionDtos } from './history.ts';
import { LICENSES } from './licenses.ts';
import { searchCatalog } from './search.service.ts';
import { listVersions } from './version.repository.ts';

const HISTORY_LIMIT = 200;

/** A resource's versions, newest first, each with its diff from the one before. */
export async function getHistory(
  ctx: AppContext,
  actor: Actor | undefined,
  by: { id: string } | { name: string },
): Promise<VersionDto[]> {
  const view = await findDatasetView(ctx.db, by);
  if (!view) throw datasetNotFound();
  assertCanView(actor, view);
  // One more than shown, so that the oldest shown still has its predecessor to diff against.
  const rows = await listVersions(ctx.db, view.id, HISTORY_LIMIT + 1);
  return toVersionDtos(rows).slice(0, HISTORY_LIMIT);
}

export async function listThemes(ctx: AppContext): Promise<ThemeDto[]> {
  const rows = await ctx.db.selectFrom('catalog_themes').selectAll().orderBy('position').execute();
  return rows.map((t) => ({
    id: t.id,
    parentId: t.parent_id,
    nameZh: t.name_zh,
    nameEn: t.name_en,
    euTheme: t.eu_theme,
  }));
}

export const listLicenses = (): LicenseDto[] => [...LICENSES];

/** The portal home: counts by theme and department, the newest and the most downloaded open resources. */
export async function portalOverview(ctx: AppContext, actor: Actor | undefined): Promise<PortalOverviewDto> {
  const common = { filter: null, includePrivate: false, offset: 0, limit: 6 } as const;
  const newest = await searchCatalog(ctx, actor, {
    ...common,
    sort: 'newest',
    facets: ['theme', 'department'],
    facetLimit: 100,
  });
  const mostUsed = await searchCatalog(ctx, actor, { ...common, sort: 'downloads', facets: [] });
  return {
    total: newest.total,
    byTheme: newest.facets.theme ?? [],
    byDepartment: newest.facets.department ?? [],
    newest: newest.rows.map((r) => toSummaryDto(r, r.formats)),
    mostUsed: mostUsed.rows.map((r) => toSummaryDto(r, r.formats)),
  };
}
