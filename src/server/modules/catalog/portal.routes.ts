import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  DatasetSchema,
  LicenseSchema,
  PortalOverviewSchema,
  RestSearchQuery,
  SearchResultSchema,
  ThemeSchema,
  VersionSchema,
} from '../../../contracts/catalog.ts';
import type { AppContext } from '../../platform/context.ts';
import { failures } from '../../platform/http/route-common.ts';
import { getHistory, listLicenses, listThemes, portalOverview } from './catalog-info.service.ts';
import { getDataset } from './dataset.service.ts';
import { searchDatasets } from './search.service.ts';

const tags = ['catalog'];
/** A resource is addressed by its URL name or its id (one parameter name: the write routes share the path). */
export const DatasetRef = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const refOf = (ref: string) => (UUID.test(ref) ? { id: ref } : { name: ref });

/** What the portal reads: search, overview, themes, licences, one resource and its history. Public. */
export async function portalRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/catalog/search',
    {
      schema: {
        tags,
        summary:
          'Search resources with facets (public; includePrivate=true adds what a signed-in caller may see)',
        querystring: RestSearchQuery,
        response: { 200: SearchResultSchema, ...failures },
      },
    },
    async (request) => searchDatasets(ctx, request.actor, request.query),
  );

  app.get(
    '/api/catalog/overview',
    {
      schema: {
        tags,
        summary: 'Portal home: counts by theme and department, newest, most used',
        response: { 200: PortalOverviewSchema },
      },
    },
    async (request) => portalOverview(ctx, request.actor),
  );

  app.get(
    '/api/catalog/themes',
    { schema: { tags, summary: 'The theme tree', response: { 200: Type.Array(ThemeSchema) } } },
    async () => listThemes(ctx),
  );

  app.get(
    '/api/catalog/licenses',
    {
      schema: {
        tags,
        summary: 'Licences a resource may carry',
        response: { 200: Type.Array(LicenseSchema) },
      },
    },
    async () => listLicenses(),
  );

  app.get(
    '/api/catalog/datasets/:id',
    {
      schema: {
        tags,
        summary: 'One resource by name or id (open ones public; others as the caller may see)',
        params: DatasetRef,
        response: { 200: DatasetSchema, ...failures },
      },
    },
    async (request) => getDataset(ctx, request.actor, refOf(request.params.id)),
  );

  app.get(
    '/api/catalog/datasets/:id/history',
    {
      schema: {
        tags,
        summary: 'Versions of a resource, newest first, with diffs',
        params: DatasetRef,
        response: { 200: Type.Array(VersionSchema), ...failures },
      },
    },
    async (request) => getHistory(ctx, request.actor, refOf(request.params.id)),
  );
}
