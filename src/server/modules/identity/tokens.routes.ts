import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ApiTokenSchema, IdParams } from '../../../contracts/identity.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, noContent, security } from './route-common.ts';
import { listEveryToken, revokeApiToken } from './token.service.ts';

const tags = ['tokens'];

/** Oversight of every API token (platform admins). Holders manage their own under /api/me/tokens. */
export async function tokenRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/tokens',
    {
      schema: {
        tags,
        security,
        summary: 'All API tokens, newest first (platform admins)',
        response: { 200: Type.Array(ApiTokenSchema), ...failures },
      },
    },
    async (request) => listEveryToken(ctx, requireActor(request.actor)),
  );

  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: "Revoke anyone's API token (platform admins)",
        params: IdParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      const actor = requireActor(request.actor);
      await revokeApiToken(ctx, actor, request.params.id, { ownOnly: false }, metaOf(request));
      return reply.status(204).send(null);
    },
  );
}
