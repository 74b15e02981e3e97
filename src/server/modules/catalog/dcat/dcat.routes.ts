import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../platform/context.ts';
import { failures } from '../../../platform/http/route-common.ts';
import { CATALOG_PAGE_SIZE, type CatalogDescription, catalogPage, datasetDocument } from './dcat.service.ts';
import { negotiate } from './dcat-negotiate.ts';
import { MEDIA_TYPES, RDF_FORMATS, type RdfFormat, serializeRdf } from './dcat-serialize.ts';

// DCAT-AP 3 documents, where ckanext-dcat serves them: /catalog.{ttl,jsonld,rdf,nt} (public catalog,
// Hydra-paged) and /dataset/{name}.{ttl,jsonld,rdf,nt}, plus content negotiation on /dataset/{name}.

const tags = ['dcat'];
const CatalogQuery = Type.Object(
  {
    // A string, so that 1.5 or 1e3 are refused rather than coerced into some page.
    page: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,5}$', description: '1-based page number' })),
    modified_since: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);
const DatasetFile = Type.Object({ file: Type.String({ minLength: 1, maxLength: 120 }) });
const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The portal's address: the configured public URL, else the one the request came to. */
function baseUrlOf(ctx: AppContext, request: FastifyRequest): string {
  if (ctx.config.publicUrl) return ctx.config.publicUrl.replace(/\/+$/, '');
  // The host becomes part of every IRI: a malformed one must not produce unparseable documents.
  const host = HOST.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}`;
}

async function sendRdf(reply: FastifyReply, quads: Parameters<typeof serializeRdf>[0], format: RdfFormat) {
  const body = await serializeRdf(quads, format);
  return reply.type(`${MEDIA_TYPES[format]}; charset=utf-8`).send(body);
}

const asRdfFormat = (ext: string) =>
  (RDF_FORMATS as readonly string[]).includes(ext) ? (ext as RdfFormat) : undefined;

function notFound(reply: FastifyReply) {
  const { request } = reply;
  return reply.status(404).send({
    error: {
      code: 'http.not_found',
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
      requestId: request.id,
    },
  });
}

/** Registers the DCAT-AP export routes. */
export async function dcatRoutes(
  fastify: FastifyInstance,
  opts: { ctx: AppContext; catalog?: Partial<CatalogDescription> },
) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  for (const format of RDF_FORMATS) {
    app.get(
      `/catalog.${format}`,
      {
        schema: {
          tags,
          summary: `The public catalog as DCAT-AP 3 (${MEDIA_TYPES[format]}), ${CATALOG_PAGE_SIZE} resources a page with Hydra paging`,
          querystring: CatalogQuery,
          response: failures,
        },
      },
      async (request, reply) => {
        const baseUrl = baseUrlOf(ctx, request);
        const { modified_since } = request.query;
        const page = Number(request.query.page ?? 1);
        const pageUrl = (n: number) => {
          const params = new URLSearchParams({ page: String(n) });
          if (modified_since !== undefined) params.set('modified_since', modified_since);
          return `${baseUrl}/catalog.${format}?${params}`;
        };
        const quads = await catalogPage(ctx, {
          baseUrl,
          page,
          modifiedSince: modified_since,
          pageUrl,
          description: opts.catalog,
        });
        return sendRdf(reply, quads, format);
      },
    );
  }

  app.get(
    '/dataset/:file',
    {
      schema: {
        tags,
        summary:
          'A resource as DCAT-AP 3: /dataset/{name}.ttl|.jsonld|.rdf|.nt, or /dataset/{name} with an RDF Accept header (HTML otherwise)',
        params: DatasetFile,
        response: failures,
      },
    },
    async (request, reply) => {
      const dot = request.params.file.lastIndexOf('.');
      const name = dot < 0 ? request.params.file : request.params.file.slice(0, dot);
      const extension = dot < 0 ? undefined : request.params.file.slice(dot + 1);
      // The page and the data share this address: caches must keep them apart.
      if (extension === undefined) reply.header('vary', 'Accept');
      const format = extension === undefined ? negotiate(request.headers.accept) : asRdfFormat(extension);
      if (format === 'html') {
        return app.hasReplyDecorator('sendSpaIndex') ? reply.sendSpaIndex() : notFound(reply);
      }
      if (!format || !NAME.test(name)) return notFound(reply);
      const quads = await datasetDocument(ctx, request.actor, baseUrlOf(ctx, request), name);
      return sendRdf(reply, quads, format);
    },
  );
}
