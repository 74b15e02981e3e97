import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { IdParams } from '../../../contracts/common.ts';
import {
  ExchangeSettingsSchema,
  NoticeSchema,
  SharedResourcePage,
  SharedResourceQuery,
  SharedResourceSchema,
  UsageQuery,
  UsageSchema,
} from '../../../contracts/exchange.ts';
import type { AppContext } from '../../platform/context.ts';
import { failures, security } from '../../platform/http/route-common.ts';
import { listNotices } from './notices.service.ts';
import { exchangeSettings, getShared, listShared } from './shared-catalog.service.ts';
import { getUsage } from './usage.service.ts';

const tags = ['exchange'];

/** The internal catalog of shared resources, operational figures and the deadline inbox. */
export async function sharedCatalogRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/exchange/resources',
    {
      schema: {
        tags,
        security,
        summary: 'Resources shared with other departments (staff)',
        querystring: SharedResourceQuery,
        response: { 200: SharedResourcePage, ...failures },
      },
    },
    async (request) => listShared(ctx, request.actor, request.query),
  );

  app.get(
    '/api/exchange/resources/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One shared resource (dataset id) with its tables and usage',
        params: IdParams,
        response: { 200: SharedResourceSchema, ...failures },
      },
    },
    async (request) => getShared(ctx, request.actor, request.params.id),
  );

  app.get(
    '/api/exchange/usage',
    {
      schema: {
        tags,
        security,
        summary: 'Calls, rows, failures and latency per requesting department and per resource',
        querystring: UsageQuery,
        response: { 200: UsageSchema, ...failures },
      },
    },
    async (request) => getUsage(ctx, request.actor, request.query),
  );

  app.get(
    '/api/exchange/notices',
    {
      schema: {
        tags,
        security,
        summary: "Deadline reminders and escalations for the caller's departments",
        response: { 200: Type.Array(NoticeSchema), ...failures },
      },
    },
    async (request) => listNotices(ctx, request.actor),
  );

  app.get(
    '/api/exchange/settings',
    {
      schema: {
        tags,
        security,
        summary: 'The platform limits the exchange forms check: longest grant, rate limits',
        response: { 200: ExchangeSettingsSchema, ...failures },
      },
    },
    async (request) => exchangeSettings(ctx, request.actor),
  );
}
