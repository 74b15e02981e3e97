import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { auditRoutes } from './audit.routes.ts';

export { auditScopeOf, canReadAudit, canSeeAuditEntry, canVerifyAudit } from './audit.policy.ts';
export { auditKey, listAudit, listAuditCheckpoints, verifyAudit } from './audit.service.ts';

/** Audit trail browsing, chain verification and the public checkpoint key. */
export async function auditModule(app: FastifyInstance, opts: { ctx: AppContext }) {
  await app.register(auditRoutes, opts);
}
