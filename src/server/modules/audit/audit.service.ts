import type { KeyObject } from 'node:crypto';
import type { AuditKeyDto, CheckpointPageDto } from '../../../contracts/audit.ts';
import type { AuditEntryDto, AuditVerifyDto } from '../../../contracts/identity.ts';
import {
  appendAudit,
  hashedFieldsOf,
  keyIdOf,
  sequenceAudit,
  verifyAuditLog,
} from '../../platform/audit/index.ts';
import { type Actor, auditActorOf, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalid } from '../../platform/errors.ts';
import { auditScopeOf, canReadAudit, canVerifyAudit } from './audit.policy.ts';
import { type ChainedEntry, listAuditEntries, listCheckpoints } from './audit.repository.ts';

export interface ListAuditInput {
  action?: string | undefined;
  actor?: string | undefined;
  targetId?: string | undefined;
  departmentId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: number | undefined;
  limit?: number | undefined;
}

export interface RequestMeta {
  ip?: string | undefined;
  requestId?: string | undefined;
}

const present = (row: ChainedEntry): AuditEntryDto => ({
  ...hashedFieldsOf(row),
  seq: row.seq,
  at: row.at.toISOString(),
  hash: row.hash,
});

/** One page of the audit trail, newest first, limited to what the actor may see. */
export async function listAudit(ctx: AppContext, actor: Actor | undefined, input: ListAuditInput) {
  const a = authorize(actor, canReadAudit);
  const from = input.from ? new Date(input.from) : undefined;
  const to = input.to ? new Date(input.to) : undefined;
  if (from && to && from > to) throw invalid('audit.bad_range', '"from" must not be after "to"');
  const scope = auditScopeOf(a);
  const limit = input.limit ?? 50;
  // Entries committed a moment ago get their place in the chain now, so the viewer sees them.
  if (input.before === undefined) await sequenceAudit(ctx.db, { wait: true });
  const rows = await listAuditEntries(ctx.db, {
    actionPrefix: input.action,
    actorLabel: input.actor,
    targetId: input.targetId,
    departmentId: input.departmentId,
    from,
    to,
    before: input.before,
    limit,
    scopeRootIds: scope.kind === 'all' ? undefined : scope.rootIds,
  });
  return { items: rows.map(present), nextBefore: rows.length === limit ? (rows.at(-1)?.seq ?? null) : null };
}

/**
 * Verifies the whole chain and its signed checkpoints (with the platform's public key unless another
 * is given), and records who checked and what they found: a verification is itself an event
 * supervisors want to see.
 */
export async function verifyAudit(
  ctx: AppContext,
  actor: Actor | undefined,
  meta: RequestMeta = {},
  publicKey: KeyObject = ctx.signer.publicKey,
) {
  const a = authorize(actor, canVerifyAudit);
  const result = await verifyAuditLog(ctx.db, publicKey, { database: ctx.database });
  await ctx.db.transaction().execute((trx) =>
    appendAudit(trx, {
      action: 'audit.verify',
      actor: auditActorOf(a),
      details: { ...result, keyId: keyIdOf(publicKey) },
      ip: meta.ip,
      requestId: meta.requestId,
    }),
  );
  return result as AuditVerifyDto;
}

/** Signed checkpoints, newest first; anyone holding the public key can check them offline. */
export async function listAuditCheckpoints(
  ctx: AppContext,
  actor: Actor | undefined,
  input: { before?: number | undefined; limit?: number | undefined },
): Promise<CheckpointPageDto> {
  authorize(actor, canVerifyAudit);
  const limit = input.limit ?? 50;
  const rows = await listCheckpoints(ctx.db, input.before, limit);
  return {
    items: rows.map((r) => ({
      seq: r.seq,
      hash: r.hash,
      at: r.at.toISOString(),
      keyId: r.key_id,
      signature: r.signature,
    })),
    nextBefore: rows.length === limit ? (rows.at(-1)?.seq ?? null) : null,
  };
}

/** The public half of the checkpoint signing key, in PEM and JWK (RFC 8037) form. Public by design. */
export function auditKey(ctx: AppContext): AuditKeyDto {
  const jwk = ctx.signer.publicKey.export({ format: 'jwk' });
  return {
    keyId: ctx.signer.keyId,
    algorithm: 'Ed25519',
    publicKeyPem: ctx.signer.publicKeyPem(),
    jwk: { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x), kid: ctx.signer.keyId },
  };
}
