import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../../contracts/common.ts';
import { DatastoreQualitySchema, QualityRulesBody } from '../../../../contracts/datastore-quality.ts';
import type { AppContext } from '../../../platform/context.ts';
import { metaOf } from '../../../platform/http/request-meta.ts';
import { failures, security } from '../../../platform/http/route-common.ts';
import { getQuality, updateRules } from './quality.service.ts';

const tags = ['datastore'];

/** A table's quality report and its rules. */
export async function qualityRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/datastore/:id/quality',
    {
      schema: {
        tags,
        summary:
          "A table's quality: column profile, rule results with examples, score (values as the caller may see them)",
        params: IdParams,
        response: { 200: DatastoreQualitySchema, ...failures },
      },
    },
    async (request) => getQuality(ctx, request.actor, request.params.id),
  );

  app.put(
    '/api/datastore/:id/quality/rules',
    {
      schema: {
        tags,
        security,
        summary: "Replace a table's column rules and check them at once",
        params: IdParams,
        body: QualityRulesBody,
        response: { 200: DatastoreQualitySchema, ...failures },
      },
    },
    async (request) => updateRules(ctx, request.actor, request.params.id, request.body, metaOf(request)),
  );
}
