import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DatasetSchema, LinkDistributionBody, UpdateDistributionBody } from '../../../contracts/catalog.ts';
import { IdParams } from '../../../contracts/common.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import {
  addFileDistribution,
  addLinkDistribution,
  deleteDistribution,
  type FileUpload,
  openDownload,
  updateDistribution,
} from './distribution.service.ts';

const tags = ['catalog'];
const ok = { 200: DatasetSchema, ...failures };

/** The single file of a multipart upload, with the text fields sent before it (name, description, format). */
export async function fileUploadOf(request: FastifyRequest, fileField = 'file'): Promise<FileUpload> {
  if (!request.isMultipart())
    throw invalid('catalog.multipart_required', 'Send the file as multipart/form-data');
  const part = await request.file();
  if (!part || part.fieldname !== fileField)
    throw invalid(
      'catalog.file_required',
      `Send the file in the "${fileField}" field, after the text fields`,
    );
  const field = (name: string) => {
    const f = part.fields[name];
    const one = Array.isArray(f) ? f[0] : f;
    return one && one.type === 'field' ? String(one.value) : undefined;
  };
  const fields: Record<string, string> = {};
  for (const name of Object.keys(part.fields)) {
    const value = field(name);
    if (value !== undefined) fields[name] = value;
  }
  return {
    filename: part.filename || 'upload',
    content: part.file,
    name: field('name'),
    description: field('description'),
    format: field('format'),
    fields,
  };
}

/** RFC 6266 attachment header that keeps Chinese file names. */
export const attachment = (filename: string) =>
  `attachment; filename="${filename.replaceAll(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** Distributions: links and uploaded files of a resource, and their downloads. */
export async function distributionRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/catalog/datasets/:id/distributions',
    {
      schema: {
        tags,
        security,
        summary: 'Add a link or API endpoint',
        params: IdParams,
        body: LinkDistributionBody,
        response: { 201: DatasetSchema, ...failures },
      },
    },
    async (request, reply) => {
      const ds = await addLinkDistribution(
        ctx,
        requireActor(request.actor),
        request.params.id,
        request.body,
        metaOf(request),
      );
      return reply.status(201).send(ds);
    },
  );

  app.post(
    '/api/catalog/datasets/:id/files',
    {
      schema: {
        tags,
        security,
        summary:
          'Upload a file (multipart/form-data: optional name, description, format fields, then `file`)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: DatasetSchema, 413: failures[400], ...failures },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request.actor);
      // The body is read only once the service has checked that the caller may add files here.
      const upload = () => fileUploadOf(request);
      const ds = await addFileDistribution(ctx, actor, request.params.id, upload, metaOf(request));
      return reply.status(201).send(ds);
    },
  );

  app.patch(
    '/api/catalog/distributions/:id',
    {
      schema: {
        tags,
        security,
        summary: "Change a distribution's name, description, format or link",
        params: IdParams,
        body: UpdateDistributionBody,
        response: ok,
      },
    },
    async (request) =>
      updateDistribution(ctx, requireActor(request.actor), request.params.id, request.body, metaOf(request)),
  );

  app.delete(
    '/api/catalog/distributions/:id',
    { schema: { tags, security, summary: 'Remove a distribution', params: IdParams, response: ok } },
    async (request) =>
      deleteDistribution(ctx, requireActor(request.actor), request.params.id, metaOf(request)),
  );

  app.get(
    '/api/catalog/distributions/:id/download',
    { schema: { tags, summary: 'Download a file (or be redirected to a link); counted', params: IdParams } },
    async (request, reply) => {
      const download = await openDownload(ctx, request.actor, request.params.id);
      if (download.kind === 'redirect') return reply.redirect(download.url, 302);
      reply
        .header('content-type', download.mediaType)
        .header('content-disposition', attachment(download.filename))
        .header('cache-control', 'private, max-age=0');
      if (download.sizeBytes !== null) reply.header('content-length', download.sizeBytes);
      if (download.checksum) reply.header('x-checksum-sha256', download.checksum);
      return reply.send(download.stream);
    },
  );
}
