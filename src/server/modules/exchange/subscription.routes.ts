import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { IdParams } from '../../../contracts/common.ts';
import { CreateSubscriptionBody, SubscriptionSchema } from '../../../contracts/exchange.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { failures, noContent, security } from '../../platform/http/route-common.ts';
import { cancelSubscription, listSubscriptions, subscribe } from './subscription.service.ts';

const tags = ['exchange'];

/** Webhook subscriptions of a grant: list, subscribe (secret shown once), cancel. */
export async function subscriptionRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/exchange/grants/:id/subscriptions',
    {
      schema: {
        tags,
        security,
        summary: "A grant's webhook subscriptions, each with its latest delivery",
        params: IdParams,
        response: { 200: Type.Array(SubscriptionSchema), ...failures },
      },
    },
    async (request) => listSubscriptions(ctx, request.actor, request.params.id),
  );

  app.post(
    '/api/exchange/grants/:id/subscriptions',
    {
      schema: {
        tags,
        security,
        summary:
          'Subscribe a webhook to new versions of the granted table (the signing secret is shown once)',
        params: IdParams,
        body: CreateSubscriptionBody,
        response: { 201: SubscriptionSchema, ...failures },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await subscribe(ctx, request.actor, request.params.id, request.body, metaOf(request))),
  );

  app.delete(
    '/api/exchange/subscriptions/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel a webhook subscription',
        params: IdParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      await cancelSubscription(ctx, request.actor, request.params.id, metaOf(request));
      return reply.status(204).send(null);
    },
  );
}
