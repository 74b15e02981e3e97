import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MyDataPage, MyDataQuery } from '../../../contracts/exchange.ts';
import type { AppContext } from '../../platform/context.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import { csvLanguage, myDataAccesses, myDataCsv } from './my-data.service.ts';

/** "My data" for citizens and businesses: who read records about them; `?format=csv` to export. */
export async function myDataRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/me/data-access',
    {
      schema: {
        tags: ['exchange'],
        security,
        summary: 'Accesses through the exchange to records about the signed-in citizen or business',
        querystring: MyDataQuery,
        response: { 200: MyDataPage, ...failures },
      },
    },
    async (request, reply) => {
      const page = await myDataAccesses(ctx, request.actor, request.query);
      if (request.query.format !== 'csv') return page;
      const csv = myDataCsv(page.items, csvLanguage(request.headers['accept-language'], request.query.lang));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="my-data-access.csv"')
        .serializer((payload: unknown) => payload as string)
        .send(csv as never);
    },
  );
}
