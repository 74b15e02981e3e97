import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  AnswerDataRequestBody,
  CreateDataRequestBody,
  DATA_REQUEST_STATUSES,
  DataRequestSchema,
} from '../../../contracts/catalog.ts';
import { IdParams, literalUnion } from '../../../contracts/common.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import {
  answerDataRequest,
  createDataRequest,
  listDataRequests,
  trackDataRequest,
} from './data-request.service.ts';

const tags = ['catalog'];

/** "Request this data": the public asks, the department answers, the tracking code follows it. */
export async function dataRequestRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/catalog/data-requests',
    {
      // Anyone may ask, so the budget per address is tighter than the general one.
      config: {
        rateLimit: {
          max: Math.max(5, Math.ceil(ctx.config.rateLimitPerMinute / 20)),
          timeWindow: '1 minute',
        },
      },
      schema: {
        tags,
        summary: 'Ask a department for data (public)',
        body: CreateDataRequestBody,
        response: { 201: DataRequestSchema, ...failures },
      },
    },
    async (request, reply) => {
      const created = await createDataRequest(ctx, request.actor, request.body, metaOf(request));
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/catalog/data-requests/track/:code',
    {
      schema: {
        tags,
        summary: 'Follow a request by its tracking code (public)',
        params: Type.Object({ code: Type.String({ minLength: 4, maxLength: 40 }) }),
        response: { 200: DataRequestSchema, ...failures },
      },
    },
    async (request) => trackDataRequest(ctx, request.params.code),
  );

  app.get(
    '/api/catalog/data-requests',
    {
      schema: {
        tags,
        security,
        summary: 'Requests to the departments the caller answers for (department admins, data stewards)',
        querystring: Type.Object({ status: Type.Optional(literalUnion(DATA_REQUEST_STATUSES)) }),
        response: { 200: Type.Array(DataRequestSchema), ...failures },
      },
    },
    async (request) => listDataRequests(ctx, requireActor(request.actor), request.query),
  );

  app.post(
    '/api/catalog/data-requests/:id/answer',
    {
      schema: {
        tags,
        security,
        summary: 'Answer a request',
        params: IdParams,
        body: AnswerDataRequestBody,
        response: { 200: DataRequestSchema, ...failures },
      },
    },
    async (request) =>
      answerDataRequest(ctx, requireActor(request.actor), request.params.id, request.body, metaOf(request)),
  );
}
