import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  DayParams,
  SetOverrideBody,
  WorkingDaySchema,
  WorkingDaysPage,
  WorkingDaysQuery,
} from '../../../contracts/calendar.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, noContent, security } from '../../platform/http/route-common.ts';
import { deleteWorkingDayOverride, listWorkingDays, setWorkingDayOverride } from './calendar.service.ts';

const tags = ['calendar'];

/** The working-day calendar that statutory deadlines count by, and its overrides (platform admins). */
export async function calendarRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/admin/working-days',
    {
      schema: {
        tags,
        security,
        summary: 'Each day of a range (at most 400 days): working or not, and why',
        querystring: WorkingDaysQuery,
        response: { 200: WorkingDaysPage, ...failures },
      },
    },
    async (request) => listWorkingDays(ctx, request.actor, request.query),
  );

  app.put(
    '/api/admin/working-days/:day',
    {
      schema: {
        tags,
        security,
        summary: 'Make a day a working day or a day off, whatever the official calendar says',
        params: DayParams,
        body: SetOverrideBody,
        response: { 200: WorkingDaySchema, ...failures },
      },
    },
    async (request) =>
      setWorkingDayOverride(ctx, request.actor, request.params.day, request.body, metaOf(request)),
  );

  app.delete(
    '/api/admin/working-days/:day',
    {
      schema: {
        tags,
        security,
        summary: "Remove a day's override: the official calendar counts again",
        params: DayParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await deleteWorkingDayOverride(ctx, request.actor, request.params.day, metaOf(request));
      return reply.status(204).send(null);
    },
  );
}
