import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  CreateDepartmentBody,
  DepartmentSchema,
  IdParams,
  UpdateDepartmentBody,
} from '../../../contracts/identity.ts';
import { requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { metaOf } from '../../platform/http/request-meta.ts';
import { createDepartment, getDepartment, listDepartments, updateDepartment } from './department.service.ts';
import { failures, security } from './route-common.ts';

const tags = ['departments'];

/** The department tree: public to read, platform admins shape it, department admins rename their own. */
export async function departmentRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/departments',
    {
      schema: {
        tags,
        summary: 'All departments in tree order (public)',
        response: { 200: Type.Array(DepartmentSchema) },
      },
    },
    async (request) => listDepartments(ctx, request.actor),
  );

  app.get(
    '/api/departments/:id',
    {
      schema: {
        tags,
        summary: 'One department (public)',
        params: IdParams,
        response: { 200: DepartmentSchema, ...failures },
      },
    },
    async (request) => getDepartment(ctx, request.actor, request.params.id),
  );

  app.post(
    '/api/departments',
    {
      schema: {
        tags,
        security,
        summary: 'Create a department (platform admins)',
        body: CreateDepartmentBody,
        response: { 201: DepartmentSchema, ...failures },
      },
    },
    async (request, reply) => {
      const dept = await createDepartment(ctx, requireActor(request.actor), request.body, metaOf(request));
      return reply.status(201).send(dept);
    },
  );

  app.patch(
    '/api/departments/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a department (its admins: names and region only)',
        params: IdParams,
        body: UpdateDepartmentBody,
        response: { 200: DepartmentSchema, ...failures },
      },
    },
    async (request) =>
      updateDepartment(ctx, requireActor(request.actor), request.params.id, request.body, metaOf(request)),
  );
}
