import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../contracts/common.ts';
import {
  GRANT_ACTIONS,
  GrantActionBody,
  GrantPage,
  GrantQuery,
  GrantSchema,
  IssuedCredentialSchema,
} from '../../../contracts/exchange.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import { changeGrant, getGrant, issueCredential, listGrants } from './grant.service.ts';

const tags = ['exchange'];

/** Grants: list, read with history, the system credential, and the lifecycle actions. */
export async function grantRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/exchange/grants',
    {
      schema: {
        tags,
        security,
        summary: "Grants of the caller's departments (incoming: of their data; outgoing: held by them)",
        querystring: GrantQuery,
        response: { 200: GrantPage, ...failures },
      },
    },
    async (request) => listGrants(ctx, request.actor, request.query),
  );

  app.get(
    '/api/exchange/grants/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One grant with its history',
        params: IdParams,
        response: { 200: GrantSchema, ...failures },
      },
    },
    async (request) => getGrant(ctx, request.actor, request.params.id),
  );

  app.post(
    '/api/exchange/grants/:id/credential',
    {
      schema: {
        tags,
        security,
        summary: "Issue (or rotate) the grantee system's credential; shown once",
        params: IdParams,
        response: { 201: IssuedCredentialSchema, ...failures },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await issueCredential(ctx, request.actor, request.params.id, metaOf(request))),
  );

  const summaries = {
    renew: "Renew a grant from now (the owner's data admins)",
    suspend: 'Suspend a grant (owner, grantee or platform admin)',
    resume: "Resume a suspended grant (the owner's data admins)",
    revoke: 'Revoke a grant for good (owner, grantee or platform admin)',
  } as const;
  for (const action of GRANT_ACTIONS) {
    app.post(
      `/api/exchange/grants/:id/${action}`,
      {
        schema: {
          tags,
          security,
          summary: summaries[action],
          params: IdParams,
          body: GrantActionBody,
          response: { 200: GrantSchema, ...failures },
        },
        // The body is optional (`reason`, `days`): a bare POST counts as an empty one.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) =>
        changeGrant(ctx, request.actor, request.params.id, action, request.body, metaOf(request)),
    );
  }
}
