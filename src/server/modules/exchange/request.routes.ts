import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../contracts/common.ts';
import {
  AccessRequestPage,
  AccessRequestQuery,
  AccessRequestSchema,
  CreateAccessRequestBody,
  DecisionBody,
} from '../../../contracts/exchange.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import {
  createAccessRequest,
  getAccessRequest,
  listAccessRequests,
  withdrawAccessRequest,
} from './request.service.ts';
import { decideAccessRequest } from './request-decision.service.ts';

const tags = ['exchange'];

/** Access requests: ask, list, read with history, decide, withdraw. */
export async function requestRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/exchange/requests',
    {
      schema: {
        tags,
        security,
        summary: "Ask for another department's table (granted at once when shared unconditionally)",
        body: CreateAccessRequestBody,
        response: { 201: AccessRequestSchema, ...failures },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAccessRequest(ctx, request.actor, request.body, metaOf(request))),
  );

  app.get(
    '/api/exchange/requests',
    {
      schema: {
        tags,
        security,
        summary: "Requests of the caller's departments (incoming: asked of them; outgoing: asked by them)",
        querystring: AccessRequestQuery,
        response: { 200: AccessRequestPage, ...failures },
      },
    },
    async (request) => listAccessRequests(ctx, request.actor, request.query),
  );

  app.get(
    '/api/exchange/requests/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One request with its history',
        params: IdParams,
        response: { 200: AccessRequestSchema, ...failures },
      },
    },
    async (request) => getAccessRequest(ctx, request.actor, request.params.id),
  );

  app.post(
    '/api/exchange/requests/:id/decision',
    {
      schema: {
        tags,
        security,
        summary: 'The owner approves (possibly narrowing) or refuses with a reason',
        params: IdParams,
        body: DecisionBody,
        response: { 200: AccessRequestSchema, ...failures },
      },
    },
    async (request) =>
      decideAccessRequest(ctx, request.actor, request.params.id, request.body, metaOf(request)),
  );

  app.post(
    '/api/exchange/requests/:id/withdraw',
    {
      schema: {
        tags,
        security,
        summary: 'The requester withdraws a pending request',
        params: IdParams,
        response: { 200: AccessRequestSchema, ...failures },
      },
    },
    async (request) => withdrawAccessRequest(ctx, request.actor, request.params.id, metaOf(request)),
  );
}
