import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { IdParams } from '../../../../contracts/common.ts';
import {
  CreateHarvestSourceBody,
  HarvestRunListQuery,
  HarvestRunListSchema,
  HarvestRunRequestedSchema,
  HarvestRunSchema,
  HarvestSourceListSchema,
  HarvestSourceSchema,
  UpdateHarvestSourceBody,
} from '../../../../contracts/harvest.ts';
import { requireActor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { metaOf } from '../../../platform/http/request-meta.ts';
import { failures, noContent, security } from '../../../platform/http/route-common.ts';
import {
  createSource,
  deactivateSource,
  getRun,
  getSource,
  listRuns,
  listSources,
  requestRun,
  updateSource,
} from './harvest-source.service.ts';

const tags = ['catalog harvesting'];

/** Harvest sources and their runs under /api/catalog/harvest (platform admins). */
export async function harvestRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/catalog/harvest/sources',
    {
      schema: {
        tags,
        security,
        summary: 'Harvest sources with their latest run',
        response: { 200: HarvestSourceListSchema, ...failures },
      },
    },
    async (request) => ({ sources: await listSources(ctx, requireActor(request.actor)) }),
  );

  app.post(
    '/api/catalog/harvest/sources',
    {
      schema: {
        tags,
        security,
        summary: 'Register a remote CKAN or DCAT catalog to harvest',
        body: CreateHarvestSourceBody,
        response: { 201: HarvestSourceSchema, ...failures },
      },
    },
    async (request, reply) => {
      const source = await createSource(ctx, requireActor(request.actor), request.body, metaOf(request));
      return reply.status(201).send(source);
    },
  );

  app.get(
    '/api/catalog/harvest/sources/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One harvest source',
        params: IdParams,
        response: { 200: HarvestSourceSchema, ...failures },
      },
    },
    async (request) => getSource(ctx, requireActor(request.actor), { id: request.params.id }),
  );

  app.patch(
    '/api/catalog/harvest/sources/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a harvest source (active: true reactivates it)',
        params: IdParams,
        body: UpdateHarvestSourceBody,
        response: { 200: HarvestSourceSchema, ...failures },
      },
    },
    async (request) =>
      updateSource(ctx, requireActor(request.actor), request.params.id, request.body, metaOf(request)),
  );

  app.delete(
    '/api/catalog/harvest/sources/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Deactivate a harvest source; its runs and datasets are kept, a queued run is cancelled',
        params: IdParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await deactivateSource(ctx, requireActor(request.actor), request.params.id, metaOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/catalog/harvest/sources/:id/run',
    {
      schema: {
        tags,
        security,
        summary: 'Queue a run now (202); a run already queued or running is returned instead',
        params: IdParams,
        response: { 202: HarvestRunRequestedSchema, ...failures },
      },
    },
    async (request, reply) => {
      const requested = await requestRun(
        ctx,
        requireActor(request.actor),
        request.params.id,
        metaOf(request),
      );
      return reply.status(202).send(requested);
    },
  );

  app.get(
    '/api/catalog/harvest/sources/:id/runs',
    {
      schema: {
        tags,
        security,
        summary: "A source's runs, newest first",
        params: IdParams,
        querystring: HarvestRunListQuery,
        response: { 200: HarvestRunListSchema, ...failures },
      },
    },
    async (request) => ({
      runs: await listRuns(ctx, requireActor(request.actor), request.params.id, request.query.limit),
    }),
  );

  app.get(
    '/api/catalog/harvest/runs/:id',
    {
      schema: {
        tags,
        security,
        summary: 'The log of one run: counts, errors (with the remote dataset), timings',
        params: IdParams,
        response: { 200: HarvestRunSchema, ...failures },
      },
    },
    async (request) => getRun(ctx, requireActor(request.actor), request.params.id),
  );
}
