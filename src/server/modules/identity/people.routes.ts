import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  CounterAccountSchema,
  CreateStaffBody,
  IdParams,
  ListPeopleQuery,
  PeoplePage,
  PersonSchema,
  ResetPasswordBody,
  RevokeIdentityBody,
  StopReleaseBody,
  UpdatePersonBody,
} from '../../../contracts/identity.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { stopRelease } from './counter-release.service.ts';
import { revokeIdentityVerification } from './identity-verification.service.ts';
import { createStaff, getPerson, listPeople } from './people.service.ts';
import { resetPassword, unlockPerson, updatePerson } from './person-admin.service.ts';
import { failures, noContent, security } from './route-common.ts';

const tags = ['people'];

/** People administration: platform admins for everyone, department admins within their subtree. */
export async function peopleRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const schema = <T extends object>(summary: string, extra: T) => ({ tags, security, summary, ...extra });

  app.get(
    '/api/people',
    {
      schema: schema('People (platform admins: all; department admins: staff of their subtree)', {
        querystring: ListPeopleQuery,
        response: { 200: PeoplePage, ...failures },
      }),
    },
    async (request) => listPeople(ctx, requireActor(request.actor), request.query),
  );

  app.get(
    '/api/people/:id',
    { schema: schema('One person', { params: IdParams, response: { 200: PersonSchema, ...failures } }) },
    async (request) => getPerson(ctx, requireActor(request.actor), request.params.id),
  );

  app.post(
    '/api/people',
    {
      schema: schema('Create a staff account with roles in one department', {
        body: CreateStaffBody,
        response: { 201: PersonSchema, ...failures },
      }),
    },
    async (request, reply) => {
      const person = await createStaff(ctx, requireActor(request.actor), request.body, metaOf(request));
      return reply.status(201).send(person);
    },
  );

  app.patch(
    '/api/people/:id',
    {
      schema: schema('Change name, e-mail or status', {
        params: IdParams,
        body: UpdatePersonBody,
        response: { 200: PersonSchema, ...failures },
      }),
    },
    async (request) =>
      updatePerson(ctx, requireActor(request.actor), request.params.id, request.body, metaOf(request)),
  );

  app.post(
    '/api/people/:id/unlock',
    { schema: schema('Lift a sign-in lockout', { params: IdParams, response: noContent }) },
    async (request, reply) => {
      await unlockPerson(ctx, requireActor(request.actor), request.params.id, metaOf(request));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/people/:id/password',
    {
      schema: schema('Set a new password (their sessions end)', {
        params: IdParams,
        body: ResetPasswordBody,
        response: noContent,
      }),
    },
    async (request, reply) => {
      await resetPassword(
        ctx,
        requireActor(request.actor),
        request.params.id,
        request.body.password,
        metaOf(request),
      );
      return reply.status(204).send(null);
    },
  );

  // No POST here: verifying needs proof that the person controls the account (their counter code),
  // not only an admin's word, so it is done at the counter (counter.routes.ts), where platform admins
  // may act too. What stays on the People page is withdrawing a verification, with a reason.
  app.delete(
    '/api/people/:id/identity-verification',
    {
      schema: schema('Withdraw a real-name verification made in error (answers the masked counter view)', {
        params: IdParams,
        body: RevokeIdentityBody,
        response: { 200: CounterAccountSchema, ...failures },
      }),
    },
    async (request) =>
      revokeIdentityVerification(
        ctx,
        requireActor(request.actor),
        request.params.id,
        request.body.reason,
        metaOf(request),
      ),
  );

  // A counter's pending release of the account's number, stopped with a reason (counter-release.service.ts).
  app.delete(
    '/api/people/:id/identifier-release',
    {
      schema: schema('Stop a pending release of the account’s ID number (answers the masked counter view)', {
        params: IdParams,
        body: StopReleaseBody,
        response: { 200: CounterAccountSchema, ...failures },
      }),
    },
    async (request) =>
      stopRelease(ctx, requireActor(request.actor), request.params.id, request.body.reason, metaOf(request)),
  );
}
