import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { ErrorSchema } from '../../../contracts/common.ts';
import {
  DistributionParams,
  GATEWAY_HEADERS,
  type GatewayGrant,
  GatewayGrantSchema,
  type GatewayRecords,
  GatewayRecordsSchema,
  LookupQuery,
  RecordsQuery,
} from '../../../contracts/exchange-gateway.ts';
import type { AppContext } from '../../platform/context.ts';
import { AccessLogWriter } from './access-log.writer.ts';
import { Gateway, type GatewayOp } from './gateway.service.ts';
import { MemoryRateLimiter, RedisRateLimiter } from './rate-limit.ts';

// The gateway (/exchange/v1/…) that departments' systems call with a grant's credential. Not part
// of the staff API: no session, no API token, no per-address limit (each grant has its own rate).
// Schema violations reach the handler (attachValidation) so that they are refused after the
// credential check and logged like every other call.

/**
 * The security headers every gateway answer carries: helmet's set, with the content policy of a JSON
 * API (nothing may load), as constant headers: cheaper still than helmet's middleware built once
 * (platform/http/security-headers.ts), which the gateway's routes opt out of.
 */
function securityHeaders(ctx: AppContext): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(ctx.config.publicUrl?.startsWith('https:')
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

const errors = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  409: ErrorSchema,
  429: ErrorSchema,
  503: ErrorSchema,
};

export async function gatewayRoutes(app: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const writer = new AccessLogWriter(ctx.db, { pool: ctx.database.pool });
  const limiter = ctx.config.redisUrl
    ? new RedisRateLimiter(new Redis(ctx.config.redisUrl, { maxRetriesPerRequest: 1 }))
    : new MemoryRateLimiter();
  const gateway = new Gateway(ctx, writer, limiter);
  app.addHook('onClose', async () => {
    await writer.flush();
    await limiter.close();
  });

  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const security = securityHeaders(ctx);
  // Every answer, refusals included, names its call in the access log.
  r.addHook('onRequest', (request, reply, done) => {
    reply.headers(security);
    reply.header(GATEWAY_HEADERS.requestId, request.id);
    done();
  });

  const call = (op: GatewayOp, request: FastifyRequest, reply: FastifyReply, distributionId?: string) =>
    gateway.handle({
      op,
      headers: request.headers,
      ip: request.ip,
      callId: request.id,
      at: new Date(),
      started: performance.now(),
      distributionId,
      query: request.query as Record<string, unknown>,
      validationError: request.validationError,
      setHeader: (name, value) => void reply.header(name, value),
    });
  const config = { rateLimit: false, securityHeaders: false } as const;

  r.get(
    '/exchange/v1/grant',
    {
      config,
      schema: {
        tags: ['exchange gateway'],
        summary: 'What the credential may do: resource, fields, filter, rate, expiry',
        response: { 200: GatewayGrantSchema, ...errors },
      },
    },
    (request, reply) => call('grant', request, reply) as Promise<GatewayGrant>,
  );

  r.get(
    '/exchange/v1/resources/:distributionId/lookup',
    {
      config,
      attachValidation: true,
      schema: {
        tags: ['exchange gateway'],
        summary: 'Once-only lookup by a granted key column (exact match; identifiers normalised)',
        params: DistributionParams,
        querystring: LookupQuery,
        response: { 200: GatewayRecordsSchema, ...errors },
      },
    },
    (request, reply) =>
      call('lookup', request, reply, request.params.distributionId) as Promise<GatewayRecords>,
  );

  r.get(
    '/exchange/v1/resources/:distributionId/records',
    {
      config,
      attachValidation: true,
      schema: {
        tags: ['exchange gateway'],
        summary: 'Granted rows, filtered on granted columns, paged (limit ≤ 1000)',
        params: DistributionParams,
        querystring: RecordsQuery,
        response: { 200: GatewayRecordsSchema, ...errors },
      },
    },
    (request, reply) =>
      call('records', request, reply, request.params.distributionId) as Promise<GatewayRecords>,
  );
}
