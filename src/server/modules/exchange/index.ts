import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { gatewayRoutes } from './gateway.routes.ts';

// The exchange module's public face: other modules, the CLI and the server import only this file.
// Departments share DataStore tables through requests, grants and the gateway; every call is
// written to a hash-chained access log that citizens and businesses read as "my data".

export { type AccessLogEntry, writeAccessLog } from './access-log.writer.ts';
export { exchangeJobHandlers, exchangeTicks } from './exchange.jobs.ts';
export { forgetGrant } from './gateway.grants.ts';
export { sequenceAccessLog } from './log-chain.ts';
export { type AccessLogVerifyResult, verifyAccessLog } from './log-chain.verify.ts';

/** Registers the exchange's staff API (/api/exchange/…), "my data" and the gateway (/exchange/v1/…). */
export async function exchangeModule(app: FastifyInstance, opts: { ctx: AppContext }) {
  await app.register(gatewayRoutes, opts);
}
