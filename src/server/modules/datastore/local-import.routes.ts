import fs from 'node:fs';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Uuid } from '../../../contracts/common.ts';
import { LoadDtoSchema, LoadOptionsBody } from '../../../contracts/datastore.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { failures } from '../../platform/http/route-common.ts';
import { isLocalHandoff, LOCAL_KEY_HEADER, readLocalHandoff } from '../../platform/local-handoff.ts';
import { toLoadDto } from './datastore.presenter.ts';
import { findLoad } from './datastore.repository.ts';
import { queueImport } from './import-here.ts';

// `civitas import` while the server holds the embedded database: the command hands the file's path
// to these routes, which only answer callers on the loopback interface holding the key from the data
// directory (see platform/local-handoff.ts), and the server's worker runs the load.

const tags = ['datastore'];
const ImportBody = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 4096 }),
    dataset: Type.String({ minLength: 1, maxLength: 200 }),
    resource: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    options: LoadOptionsBody,
  },
  { additionalProperties: false },
);

export async function localImportRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const requireLocal = (request: FastifyRequest) => {
    const handoff = readLocalHandoff(ctx.config.dataDir);
    if (
      !isLocalHandoff(
        handoff?.pid === process.pid ? handoff : undefined,
        request.ip,
        request.headers[LOCAL_KEY_HEADER],
      )
    ) {
      throw new AppError('auth.local_only', 403, 'Only a civitas command on this machine may call this');
    }
  };

  app.post(
    '/api/local/datastore/import',
    {
      schema: {
        tags,
        summary:
          'For `civitas import` on this machine: load a local file (loopback and the data directory key only)',
        body: ImportBody,
        response: { 202: Type.Object({ loadId: Uuid, distributionId: Uuid }), ...failures },
      },
    },
    async (request, reply) => {
      requireLocal(request);
      const { path, dataset, resource, options } = request.body;
      if (!fs.existsSync(path)) throw new AppError('datastore.file_missing', 422, `No such file: ${path}`);
      const queued = await queueImport(ctx, { file: path, dataset, resource, options });
      return reply.status(202).send({ loadId: queued.loadId, distributionId: queued.distributionId });
    },
  );

  app.get(
    '/api/local/datastore/loads/:loadId',
    {
      schema: {
        tags,
        summary: 'For `civitas import` on this machine: a load handed to the server',
        params: Type.Object({ loadId: Uuid }),
        response: { 200: LoadDtoSchema, ...failures },
      },
    },
    async (request) => {
      requireLocal(request);
      const load = await findLoad(ctx.db, request.params.loadId);
      if (!load) throw new AppError('datastore.load_not_found', 404, 'Load not found');
      return toLoadDto(load);
    },
  );
}
