import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { IdParams } from '../../../contracts/common.ts';
import { CreateExtractBody, ExtractSchema } from '../../../contracts/exchange.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import { attachment } from '../catalog/index.ts';
import { downloadExtractWithCredential } from './extract.gateway.ts';
import { createExtract, type Download, downloadExtractAsStaff, listExtracts } from './extract.service.ts';

const tags = ['exchange'];
const download = { 404: failures[404], 409: failures[409], 410: failures[404] };

function sendFile(reply: FastifyReply, file: Download) {
  return reply
    .header('content-type', file.mediaType)
    .header('content-disposition', attachment(file.filename))
    .header('content-length', String(file.sizeBytes))
    .header('etag', `"${file.checksum}"`)
    .header('x-civitas-checksum', `sha256=${file.checksum}`)
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

/** File extracts of a grant: ask for one, list them, download (staff API and gateway). */
export async function extractRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/exchange/grants/:id/extracts',
    {
      schema: {
        tags,
        security,
        summary: "A grant's file extracts, newest first",
        params: IdParams,
        response: { 200: Type.Array(ExtractSchema), ...failures },
      },
    },
    async (request) => listExtracts(ctx, request.actor, request.params.id),
  );

  app.post(
    '/api/exchange/grants/:id/extracts',
    {
      schema: {
        tags,
        security,
        summary: "Ask for a file extract of the grant's data (CSV or JSON), written in the background",
        params: IdParams,
        body: CreateExtractBody,
        response: { 202: ExtractSchema, ...failures },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(
          await createExtract(ctx, request.actor, request.params.id, request.body ?? {}, metaOf(request)),
        ),
  );

  app.get(
    '/api/exchange/extracts/:id/download',
    {
      schema: {
        tags,
        security,
        summary: 'Download a ready extract (written to the access log)',
        params: IdParams,
        response: { ...failures, ...download },
      },
    },
    async (request, reply) => {
      const startedAt = performance.now();
      reply.header('x-civitas-request-id', request.id);
      const file = await downloadExtractAsStaff(ctx, request.actor, request.params.id, metaOf(request), {
        callId: request.id,
        startedAt,
        caseRef: null,
        userRef: null,
      });
      return sendFile(reply, file);
    },
  );

  app.get(
    '/exchange/v1/extracts/:id',
    {
      schema: {
        tags: ['exchange-gateway'],
        summary: "Download a ready extract with the grant's credential (X-Civitas-Purpose required)",
        params: IdParams,
        response: { ...failures, ...download },
      },
    },
    async (request, reply) => {
      const startedAt = performance.now();
      reply.header('x-civitas-request-id', request.id);
      const file = await downloadExtractWithCredential(
        ctx,
        request.headers,
        request.params.id,
        metaOf(request),
        request.id,
        startedAt,
      );
      return sendFile(reply, file);
    },
  );
}
