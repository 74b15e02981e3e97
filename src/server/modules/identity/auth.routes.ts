import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  ErrorSchema,
  LoginBody,
  LoginResult,
  MeSchema,
  MfaBody,
  RegisterBody,
} from '../../../contracts/identity.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/auth/sessions.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { completeMfa, login, logout, signInRegistered } from './auth.service.ts';
import { meOfNewSession } from './me.service.ts';
import { registerPerson } from './registration.service.ts';
import { failures, signInRateLimit } from './route-common.ts';

const tags = ['auth'];

/** Registration, the two sign-in steps and sign-out. */
export async function authRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  // These steps create the session the CSRF token belongs to; SameSite=Lax and the Origin check guard them.
  const config = { csrfExempt: true, rateLimit: signInRateLimit(ctx) };

  app.post(
    '/api/auth/register',
    {
      config,
      schema: {
        tags,
        summary: 'Register a citizen or business account and sign in',
        body: RegisterBody,
        response: { 201: MeSchema, ...failures },
      },
    },
    async (request, reply) => {
      const meta = metaOf(request);
      const person = await registerPerson(ctx, request.body, meta);
      const session = await signInRegistered(ctx, person, meta, request.sessionCookie);
      setSessionCookie(ctx, request, reply, session.cookieValue, session.expiresAt);
      return reply.status(201).send(await meOfNewSession(ctx, person.id, session.csrfToken));
    },
  );

  app.post(
    '/api/auth/login',
    {
      config,
      schema: {
        tags,
        summary: 'Sign in with username and password; mfaRequired means POST /api/auth/mfa follows',
        body: LoginBody,
        response: { 200: LoginResult, 401: ErrorSchema, 403: ErrorSchema, 423: ErrorSchema },
      },
    },
    async (request, reply) => {
      const result = await login(ctx, request.body, metaOf(request), request.sessionCookie);
      setSessionCookie(ctx, request, reply, result.session.cookieValue, result.session.expiresAt);
      return { mfaRequired: result.mfaRequired };
    },
  );

  app.post(
    '/api/auth/mfa',
    {
      config,
      schema: {
        tags,
        summary: 'Second sign-in step: a TOTP code or a recovery code',
        body: MfaBody,
        response: { 200: LoginResult, 400: ErrorSchema, 401: ErrorSchema, 423: ErrorSchema },
      },
    },
    async (request, reply) => {
      const session = await completeMfa(ctx, request.sessionCookie, request.body, metaOf(request));
      setSessionCookie(ctx, request, reply, session.cookieValue, session.expiresAt);
      return { mfaRequired: false };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags, summary: 'Sign out (ends the session)' } },
    async (request, reply) => {
      await logout(ctx, request.actor, request.sessionCookie, metaOf(request));
      clearSessionCookie(reply);
      return reply.status(204).send(null);
    },
  );
}
