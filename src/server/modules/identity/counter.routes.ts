import { createHash } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  CounterAccountSchema,
  CounterLookupBody,
  CounterLookupResult,
  CounterReleaseBody,
  CounterVerifyBody,
  PendingReleasesPage,
  PendingReleasesQuery,
  VerificationRecordsPage,
  VerificationRecordsQuery,
} from '../../../contracts/identity.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { listPendingReleases, releaseAtCounter } from './counter-release.service.ts';
import { listVerificationRecords, lookupAtCounter, verifyAtCounter } from './counter-verification.service.ts';
import { failures, security } from './route-common.ts';

const tags = ['identity-verification'];

/**
 * The lookup's budget is per caller (their session or token, else their address), not per address:
 * a service hall's counters share one address, and a clerk's honest pace is a few a minute. A
 * twentieth of the general limit (30 a minute by default), at least 5, stops anyone from trying
 * ID numbers in bulk; each try is in the audit log anyway. The key is a hash: credentials never
 * become rate-limit keys (in Redis) in clear.
 */
function callerKey(request: FastifyRequest): string {
  const sid = /(?:^|;\s*)civitas_sid=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  const credential = request.headers.authorization ?? sid ?? `ip:${request.ip}`;
  return `counter-lookup:${createHash('sha256').update(credential).digest('base64url')}`;
}

/** Real-name verification at the counter: look an account up by its full identifier, verify or release it, list records. */
export async function counterRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const schema = <T extends object>(summary: string, extra: T) => ({ tags, security, summary, ...extra });

  // POST, not GET: the ID number stays out of URLs, browser history and access logs.
  app.post(
    '/api/identity-verification/lookup',
    {
      config: {
        rateLimit: {
          max: Math.max(5, Math.ceil(ctx.config.rateLimitPerMinute / 20)),
          timeWindow: '1 minute',
          keyGenerator: callerKey,
        },
      },
      schema: schema(
        'Find the resident or business account holding this full identifier (counter staff; audited)',
        { body: CounterLookupBody, response: { 200: CounterLookupResult, ...failures } },
      ),
    },
    async (request) => lookupAtCounter(ctx, request.actor, request.body.identifier, metaOf(request)),
  );

  app.post(
    '/api/identity-verification',
    {
      schema: schema(
        'Record a real-name verification made at the counter: the holder’s counter code and the document checked',
        {
          body: CounterVerifyBody,
          response: { 200: CounterAccountSchema, ...failures },
        },
      ),
    },
    async (request) => verifyAtCounter(ctx, request.actor, request.body, metaOf(request)),
  );

  app.post(
    '/api/identity-verification/release',
    {
      schema: schema(
        'Free the identifier from an unverified account whose holder cannot show its counter code (disables it; audited)',
        { body: CounterReleaseBody, response: { 200: CounterAccountSchema, ...failures } },
      ),
    },
    async (request) => releaseAtCounter(ctx, request.actor, request.body, metaOf(request)),
  );

  app.get(
    '/api/identity-verification/records',
    {
      schema: schema('Verifications on record (platform admins: all; department admins: their counters’)', {
        querystring: VerificationRecordsQuery,
        response: { 200: VerificationRecordsPage, ...failures },
      }),
    },
    async (request) => listVerificationRecords(ctx, request.actor, request.query),
  );

  app.get(
    '/api/identity-verification/releases',
    {
      schema: schema(
        'Releases in their notice period, soonest first (platform admins: all; department admins: their counters’)',
        { querystring: PendingReleasesQuery, response: { 200: PendingReleasesPage, ...failures } },
      ),
    },
    async (request) => listPendingReleases(ctx, request.actor, request.query),
  );
}
