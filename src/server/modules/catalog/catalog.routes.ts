import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { dataRequestRoutes } from './data-requests.routes.ts';
import { datasetRoutes } from './datasets.routes.ts';
import { distributionRoutes } from './distributions.routes.ts';
import { portalRoutes } from './portal.routes.ts';

/** The catalog's own REST API under /api/catalog. */
export async function catalogRoutes(app: FastifyInstance, opts: { ctx: AppContext }) {
  await app.register(portalRoutes, opts);
  await app.register(datasetRoutes, opts);
  await app.register(distributionRoutes, opts);
  await app.register(dataRequestRoutes, opts);
}
