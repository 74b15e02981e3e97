import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  ApiTokenSchema,
  ChangePasswordBody,
  CounterCodeResult,
  CreatedToken,
  CreateTokenBody,
  IdParams,
  MeSchema,
  RecoveryCodesResult,
  TotpDisableBody,
  TotpEnableBody,
  TotpSetupResult,
  UpdateMeBody,
} from '../../../contracts/identity.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { issueCounterCode } from './counter-code.service.ts';
import { changePassword, getMe, updateMe } from './me.service.ts';
import { failures, noContent, security } from './route-common.ts';
import { createApiToken, listMyTokens, revokeApiToken } from './token.service.ts';
import {
  disableTotp,
  enableTotp,
  regenerateRecoveryCodes,
  requireSession,
  setupTotp,
} from './totp.service.ts';

const tags = ['me'];

/** The signed-in person's own account: profile, password, second factor and API tokens. */
export async function meRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const schema = <T extends object>(summary: string, extra: T) => ({ tags, security, summary, ...extra });

  app.get(
    '/api/me',
    { schema: schema('The signed-in person', { response: { 200: MeSchema, ...failures } }) },
    async (request) => getMe(ctx, request.actor),
  );

  app.patch(
    '/api/me',
    {
      schema: schema('Change own name, e-mail or language', {
        body: UpdateMeBody,
        response: { 200: MeSchema, ...failures },
      }),
    },
    async (request) => updateMe(ctx, request.actor, request.body, metaOf(request)),
  );

  app.post(
    '/api/me/password',
    {
      schema: schema('Change own password (other sessions end)', {
        body: ChangePasswordBody,
        response: noContent,
      }),
    },
    async (request, reply) => {
      await changePassword(ctx, request.actor, request.body, metaOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/totp/setup',
    {
      schema: schema('Start two-step sign-in: a new secret and QR code', {
        response: { 200: TotpSetupResult, ...failures },
      }),
    },
    async (request) => setupTotp(ctx, request.actor, metaOf(request)),
  );

  app.post(
    '/api/me/totp/enable',
    {
      schema: schema('Confirm with a first code; returns recovery codes once', {
        body: TotpEnableBody,
        response: { 200: RecoveryCodesResult, ...failures },
      }),
    },
    async (request) => enableTotp(ctx, request.actor, request.body.code, metaOf(request)),
  );

  app.post(
    '/api/me/totp/disable',
    {
      schema: schema('Turn two-step sign-in off (password and code)', {
        body: TotpDisableBody,
        response: noContent,
      }),
    },
    async (request, reply) => {
      await disableTotp(ctx, request.actor, request.body, metaOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/me/totp/recovery-codes',
    {
      schema: schema('Replace the recovery codes', {
        body: TotpEnableBody,
        response: { 200: RecoveryCodesResult, ...failures },
      }),
    },
    async (request) => regenerateRecoveryCodes(ctx, request.actor, request.body.code, metaOf(request)),
  );

  // A one-time code to show at the identity-verification counter with one's ID card: it proves the
  // person at the counter controls this account. Needs a browser session, like other credentials.
  app.post(
    '/api/me/identity-verification/code',
    {
      schema: schema('Make a one-time counter code for real-name verification (replaces any earlier one)', {
        response: { 200: CounterCodeResult, ...failures },
      }),
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return issueCounterCode(ctx, request.actor, metaOf(request));
    },
  );

  app.get(
    '/api/me/tokens',
    { schema: schema('Own API tokens', { response: { 200: Type.Array(ApiTokenSchema), ...failures } }) },
    async (request) => listMyTokens(ctx, requireActor(request.actor)),
  );

  app.post(
    '/api/me/tokens',
    {
      schema: schema('Create an API token (shown once)', {
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...failures },
      }),
    },
    async (request, reply) => {
      // Minting credentials needs a signed-in person, so a leaked token cannot breed more tokens.
      const actor = requireSession(request.actor);
      return reply
        .status(201)
        .send(await createApiToken(ctx, actor, actor.personId, request.body, metaOf(request)));
    },
  );

  app.delete(
    '/api/me/tokens/:id',
    { schema: schema('Revoke an own API token', { params: IdParams, response: noContent }) },
    async (request, reply) => {
      await revokeApiToken(
        ctx,
        requireActor(request.actor),
        request.params.id,
        { ownOnly: true },
        metaOf(request),
      );
      return reply.status(204).send(null);
    },
  );
}
