import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { onWorkingDayChanged } from '../calendar/index.ts';
import { onDatasetChanged } from '../catalog/index.ts';
import { onVersionPublished } from '../datastore/index.ts';
import { accessLogRoutes } from './access-log.routes.ts';
import { moveDeadlines } from './deadlines.service.ts';
import { extractRoutes } from './extract.routes.ts';
import { gatewayRoutes } from './gateway.routes.ts';
import { grantRoutes } from './grant.routes.ts';
import { suspendGrantsIfUnshared } from './grant-stop.service.ts';
import { myDataRoutes } from './my-data.routes.ts';
import { requestRoutes } from './request.routes.ts';
import { sharedCatalogRoutes } from './shared-catalog.routes.ts';
import { subscriptionRoutes } from './subscription.routes.ts';
import { queueVersionDeliveries } from './subscription.service.ts';

// The exchange module's public face: other modules, the CLI and the server import only this file.
// Departments share DataStore tables through requests, grants and the gateway; every call is
// written to a hash-chained access log that citizens and businesses read as "my data".

export { type AccessLogEntry, AccessLogWriter, writeAccessLog } from './access-log.writer.ts';
export { checkDeadlines } from './deadlines.service.ts';
export { exchangeJobHandlers, exchangeTicks } from './exchange.jobs.ts';
export { forgetGrant } from './gateway.grants.ts';
// The gateway in this process (the demo loader's calls): the same rules and log rows as /exchange/v1.
export { Gateway, type GatewayCall } from './gateway.service.ts';
// Requests and grants as services, for other modules, the demo loader and the full-flow tests.
export { findGrant } from './grant.repository.ts';
export { changeGrant, getGrant, issueCredential, listGrants } from './grant.service.ts';
export { sequenceAccessLog } from './log-chain.ts';
export { type AccessLogVerifyResult, verifyAccessLog } from './log-chain.verify.ts';
export { MemoryRateLimiter } from './rate-limit.ts';
export { createAccessRequest, getAccessRequest, withdrawAccessRequest } from './request.service.ts';
export { decideAccessRequest } from './request-decision.service.ts';
export { getUsage } from './usage.service.ts';

// Subscribers hear of every new version of a granted table (a delivery queued in the publishing
// transaction), in any process that publishes versions.
onVersionPublished(queueVersionDeliveries);
// A resource withdrawn or no longer shared stops serving its grants.
onDatasetChanged(async (ctx, datasetId) => {
  await suspendGrantsIfUnshared(ctx, datasetId);
});
// A day declared off or working moves the deadlines of the pending requests that count it.
onWorkingDayChanged(async (trx, ctx, change) => {
  await moveDeadlines(trx, ctx, change);
});

/** Registers the exchange's staff API (/api/exchange/…), "my data" and the gateway (/exchange/v1/…). */
export async function exchangeModule(app: FastifyInstance, opts: { ctx: AppContext }) {
  await app.register(sharedCatalogRoutes, opts);
  await app.register(requestRoutes, opts);
  await app.register(grantRoutes, opts);
  await app.register(subscriptionRoutes, opts);
  await app.register(extractRoutes, opts);
  await app.register(gatewayRoutes, opts);
  await app.register(accessLogRoutes, opts);
  await app.register(myDataRoutes, opts);
}
