import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AssignRoleBody, IdParams, RoleAssignmentSchema } from '../../../contracts/identity.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { assignRole, revokeRole } from './role.service.ts';
import { failures, noContent, security } from './route-common.ts';

const tags = ['roles'];

/** Department roles: granted and revoked by platform admins, or department admins within their subtree. */
export async function roleRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/role-assignments',
    {
      schema: {
        tags,
        security,
        summary: 'Grant a department role',
        body: AssignRoleBody,
        response: { 201: RoleAssignmentSchema, ...failures },
      },
    },
    async (request, reply) => {
      const role = await assignRole(ctx, requireActor(request.actor), request.body, metaOf(request));
      return reply.status(201).send(role);
    },
  );

  app.delete(
    '/api/role-assignments/:id',
    {
      schema: { tags, security, summary: 'Revoke a department role', params: IdParams, response: noContent },
    },
    async (request, reply) => {
      await revokeRole(ctx, requireActor(request.actor), request.params.id, metaOf(request));
      return reply.status(204).send(null);
    },
  );
}
