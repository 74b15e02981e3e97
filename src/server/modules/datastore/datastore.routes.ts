import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { IdParams, Uuid } from '../../../contracts/common.ts';
import {
  DatastoreInfoSchema,
  DictionaryUpdateBody,
  DumpQuery,
  LoadDtoSchema,
  type LoadOptions,
  LoadOptionsBody,
} from '../../../contracts/datastore.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import { attachment, fileUploadOf } from '../catalog/index.ts';
import { dumpSearchOf, searchParamsOf } from './datastore.ckan.ts';
import { exportTableSchema, importTableSchema, updateDictionary } from './dictionary.service.ts';
import { openDump } from './dump.service.ts';
import {
  cancelLoad,
  getDatastoreInfo,
  getLoad,
  listDistributionLoads,
  loadUpload,
  reloadDistribution,
} from './load.service.ts';
import { searchDatastore } from './query.service.ts';

const tags = ['datastore'];
const LoadIdParams = Type.Object({ loadId: Uuid });
const accepted = { 202: LoadDtoSchema, 413: failures[400], 422: failures[400], ...failures };

/** Load options sent as multipart text fields (key and nullTokens as JSON arrays or comma lists). */
function loadOptionsOf(fields: Record<string, string>): LoadOptions {
  const list = (name: string) => {
    const v = fields[name];
    if (v === undefined) return undefined;
    if (v.trim().startsWith('[')) {
      try {
        return JSON.parse(v) as string[];
      } catch {
        throw invalid('validation.failed', `${name} is not a JSON list`, {
          fields: [{ path: name, message: 'not a JSON list' }],
        });
      }
    }
    return v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  };
  const options: Record<string, unknown> = {};
  for (const name of ['mode', 'sheet', 'encoding', 'delimiter'] as const)
    if (fields[name]) options[name] = fields[name];
  const key = list('key');
  if (key) options.key = key;
  const nullTokens = list('nullTokens');
  if (nullTokens) options.nullTokens = nullTokens;
  return options as LoadOptions;
}

/** The DataStore's REST routes: loads, table info, dictionary, rows, dumps. */
export async function datastoreRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/datastore/:id',
    {
      schema: {
        tags,
        summary:
          "A resource's DataStore table: columns (as the caller may see them), rows, versions, last load",
        params: IdParams,
        response: { 200: DatastoreInfoSchema, ...failures },
      },
    },
    async (request) => getDatastoreInfo(ctx, request.actor, request.params.id),
  );

  app.post(
    '/api/datastore/:id/loads',
    {
      schema: {
        tags,
        security,
        summary:
          'Load a file into the table (multipart/form-data: optional mode, key, sheet, encoding, delimiter, nullTokens fields, then `file`)',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: accepted,
      },
    },
    async (request, reply) => {
      // The body is read only once the service has checked that the caller may load here.
      const readUpload = async () => {
        const upload = await fileUploadOf(request);
        return {
          filename: upload.filename,
          content: upload.content,
          options: loadOptionsOf(upload.fields ?? {}),
        };
      };
      const load = await loadUpload(ctx, request.actor, request.params.id, readUpload, metaOf(request));
      return reply.status(202).send(load);
    },
  );

  app.post(
    '/api/datastore/:id/reload',
    {
      schema: {
        tags,
        security,
        summary: "Load the resource's stored file again (another sheet, encoding, delimiter or null tokens)",
        params: IdParams,
        body: LoadOptionsBody,
        response: accepted,
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await reloadDistribution(ctx, request.actor, request.params.id, request.body, metaOf(request))),
  );

  app.get(
    '/api/datastore/:id/loads',
    {
      schema: {
        tags,
        security,
        summary: 'Recent loads of a table',
        params: IdParams,
        response: { 200: Type.Array(LoadDtoSchema), ...failures },
      },
    },
    async (request) => listDistributionLoads(ctx, request.actor, request.params.id),
  );

  app.get(
    '/api/datastore/loads/:loadId',
    {
      schema: {
        tags,
        security,
        summary: 'A load: progress, report, error',
        params: LoadIdParams,
        response: { 200: LoadDtoSchema, ...failures },
      },
    },
    async (request) => getLoad(ctx, request.actor, request.params.loadId),
  );

  app.post(
    '/api/datastore/loads/:loadId/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Stop a load; the current version stays',
        params: LoadIdParams,
        response: { 200: LoadDtoSchema, ...failures },
      },
    },
    async (request) => cancelLoad(ctx, request.actor, request.params.loadId, metaOf(request)),
  );

  app.put(
    '/api/datastore/:id/dictionary',
    {
      schema: {
        tags,
        security,
        summary: 'Correct the data dictionary; a changed type re-casts the table in place',
        params: IdParams,
        body: DictionaryUpdateBody,
        response: { 200: DatastoreInfoSchema, ...failures },
      },
    },
    async (request) => updateDictionary(ctx, request.actor, request.params.id, request.body, metaOf(request)),
  );

  app.get(
    '/api/datastore/:id/table-schema',
    {
      schema: {
        tags,
        summary: 'The data dictionary as a Frictionless Table Schema (columns the caller may see)',
        params: IdParams,
      },
    },
    async (request) => exportTableSchema(ctx, request.actor, request.params.id),
  );

  app.put(
    '/api/datastore/:id/table-schema',
    {
      schema: {
        tags,
        security,
        summary: 'Correct the data dictionary from a Frictionless Table Schema (fields matched by name)',
        params: IdParams,
        querystring: Type.Object({
          onCastFailure: Type.Optional(Type.Union([Type.Literal('cancel'), Type.Literal('null')])),
        }),
        body: Type.Object({
          fields: Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 1600 }),
        }),
        response: { 200: DatastoreInfoSchema, ...failures },
      },
    },
    async (request) =>
      importTableSchema(
        ctx,
        request.actor,
        request.params.id,
        request.body,
        request.query.onCastFailure,
        metaOf(request),
      ),
  );

  app.get(
    '/api/datastore/:id/rows',
    {
      schema: {
        tags,
        summary: 'Rows as datastore_search returns them (filters and q as JSON text, sort, limit, offset)',
        params: IdParams,
        querystring: Type.Object({
          filters: Type.Optional(Type.String({ maxLength: 20000 })),
          q: Type.Optional(Type.String({ maxLength: 2000 })),
          fields: Type.Optional(Type.String({ maxLength: 20000 })),
          sort: Type.Optional(Type.String({ maxLength: 2000 })),
          limit: Type.Optional(Type.String({ maxLength: 10 })),
          offset: Type.Optional(Type.String({ maxLength: 12 })),
          distinct: Type.Optional(Type.String({ maxLength: 5 })),
        }),
      },
    },
    async (request) =>
      searchDatastore(
        ctx,
        request.actor,
        searchParamsOf({ ...request.query, resource_id: request.params.id }),
      ),
  );

  app.get(
    '/datastore/dump/:id',
    {
      schema: {
        tags,
        summary:
          'The table (or a kept version) as CSV, TSV, JSON or XLSX: every row, or those datastore_search would give for filters, q, fields, sort, offset and limit (no limit: all that match)',
        params: IdParams,
        querystring: DumpQuery,
      },
    },
    async (request, reply) => {
      const { format, version, bom } = request.query;
      const search = dumpSearchOf(request.params.id, request.query);
      const options = { format, version, bom, search };
      const dump = await openDump(ctx, request.actor, request.params.id, options, metaOf(request));
      reply
        .header('content-type', dump.mediaType)
        .header('content-disposition', attachment(dump.filename))
        .header('cache-control', 'private, max-age=0');
      return reply.send(Readable.from(dump.body));
    },
  );
}
