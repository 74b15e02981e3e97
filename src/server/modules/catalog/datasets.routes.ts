import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  CreateDatasetBody,
  DatasetSchema,
  ReviewBody,
  UpdateDatasetBody,
  WithdrawBody,
} from '../../../contracts/catalog.ts';
import { IdParams } from '../../../contracts/common.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, noContent, security } from '../../platform/http/route-common.ts';
import { createDataset, deleteDraft, updateDataset } from './dataset.service.ts';
import { reviewDataset, submitDataset, withdrawDataset } from './lifecycle.service.ts';

const tags = ['catalog'];
const ok = { 200: DatasetSchema, ...failures };

/** Registering and editing resources (the provider's data stewards) and reviewing them (its department admins). */
export async function datasetRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/api/catalog/datasets',
    {
      schema: {
        tags,
        security,
        summary: 'Register a resource as a draft (data stewards)',
        body: CreateDatasetBody,
        response: { 201: DatasetSchema, ...failures },
      },
    },
    async (request, reply) => {
      const ds = await createDataset(ctx, requireActor(request.actor), request.body, metaOf(request));
      return reply.status(201).send(ds);
    },
  );

  app.patch(
    '/api/catalog/datasets/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change metadata; a new version is recorded',
        params: IdParams,
        body: UpdateDatasetBody,
        response: ok,
      },
    },
    async (request) =>
      updateDataset(ctx, requireActor(request.actor), request.params.id, request.body, metaOf(request)),
  );

  app.delete(
    '/api/catalog/datasets/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a never-published draft',
        params: IdParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await deleteDraft(ctx, requireActor(request.actor), request.params.id, metaOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/catalog/datasets/:id/submit',
    {
      schema: {
        tags,
        security,
        summary: 'Submit for review (data stewards)',
        params: IdParams,
        response: ok,
      },
    },
    async (request) => submitDataset(ctx, requireActor(request.actor), request.params.id, metaOf(request)),
  );

  app.post(
    '/api/catalog/datasets/:id/review',
    {
      schema: {
        tags,
        security,
        summary: 'Publish or send back (department admins)',
        params: IdParams,
        body: ReviewBody,
        response: ok,
      },
    },
    async (request) =>
      reviewDataset(ctx, requireActor(request.actor), request.params.id, request.body, metaOf(request)),
  );

  app.post(
    '/api/catalog/datasets/:id/withdraw',
    {
      schema: {
        tags,
        security,
        summary: 'Withdraw from the catalog (department admins)',
        params: IdParams,
        body: WithdrawBody,
        response: ok,
      },
    },
    async (request) =>
      withdrawDataset(
        ctx,
        requireActor(request.actor),
        request.params.id,
        request.body.reason,
        metaOf(request),
      ),
  );
}
