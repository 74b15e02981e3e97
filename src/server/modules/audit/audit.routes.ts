import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AuditKeySchema, CheckpointPage, ListCheckpointsQuery } from '../../../contracts/audit.ts';
import { AuditPage, AuditVerifySchema, ErrorSchema, ListAuditQuery } from '../../../contracts/identity.ts';
import type { AppContext } from '../../platform/context.ts';
import { auditKey, listAudit, listAuditCheckpoints, verifyAudit } from './audit.service.ts';

const tags = ['audit'];
const security: { [scheme: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
const denied = { 401: ErrorSchema, 403: ErrorSchema };

export async function auditRoutes(fastify: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/audit',
    {
      schema: {
        tags,
        security,
        summary: 'Audit trail, newest first (platform admins: all; auditors: their departments and below)',
        querystring: ListAuditQuery,
        response: { 200: AuditPage, 400: ErrorSchema, ...denied },
      },
    },
    async (request) => listAudit(ctx, request.actor, request.query),
  );

  app.post(
    '/api/audit/verify',
    {
      schema: {
        tags,
        security,
        summary: 'Verify the hash chain and every signed checkpoint; the check itself is audited',
        response: { 200: AuditVerifySchema, ...denied },
      },
    },
    async (request) => verifyAudit(ctx, request.actor, { ip: request.ip, requestId: request.id }),
  );

  app.get(
    '/api/audit/checkpoints',
    {
      schema: {
        tags,
        security,
        summary: 'Signed checkpoints of the audit chain, newest first',
        querystring: ListCheckpointsQuery,
        response: { 200: CheckpointPage, ...denied },
      },
    },
    async (request) => listAuditCheckpoints(ctx, request.actor, request.query),
  );

  app.get(
    '/.well-known/civitas-audit-key',
    {
      schema: {
        tags,
        summary: 'Public key that signs audit checkpoints (anyone may verify an exported log with it)',
        response: { 200: AuditKeySchema },
      },
    },
    async () => auditKey(ctx),
  );
}
