import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AccessLogPage, AccessLogQuery } from '../../../contracts/exchange.ts';
import type { AppContext } from '../../platform/context.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import { listAccessLog } from './access-log.service.ts';

/** The access log for staff: the rows concerning their departments (subjects only as a count). */
export async function accessLogRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/exchange/access-log',
    {
      schema: {
        tags: ['exchange'],
        security,
        summary: "Gateway calls and downloads concerning the caller's departments, newest first",
        querystring: AccessLogQuery,
        response: { 200: AccessLogPage, ...failures },
      },
    },
    async (request) => listAccessLog(ctx, request.actor, request.query),
  );
}
