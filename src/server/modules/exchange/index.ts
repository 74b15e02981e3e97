import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';

// The exchange module's public face: other modules, the CLI and the server import only this file.
// Departments share DataStore tables through requests, grants and the gateway; every call is
// written to a hash-chained access log that citizens and businesses read as "my data".

export { exchangeJobHandlers, exchangeTicks } from './exchange.jobs.ts';

/** Registers the exchange's staff API (/api/exchange/…), "my data" and the gateway (/exchange/v1/…). */
export async function exchangeModule(_app: FastifyInstance, _opts: { ctx: AppContext }) {}
