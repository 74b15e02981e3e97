import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { Static } from 'typebox';
import type { ExtractSchema } from '../../../contracts/exchange.ts';
import type { AuditActor } from '../../platform/audit/index.ts';
import { type Actor, auditActorOf, requireActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { type AccessOutcome, writeAccessLog } from './access-log.writer.ts';
import { extractExpiresAt, extractTimeIsUp } from './extract.expiry.ts';
import { queueExtract } from './extract.jobs.ts';
import { type ExtractRow, findExtract, insertExtract, listExtractRows } from './extract.repository.ts';
import type { GrantForUse } from './subscription.repository.ts';
import { grantToUse } from './subscription.service.ts';

// File extracts: the grantee's data administrators ask for the granted projection as a CSV or JSON
// file (written by a job), then fetch it — themselves through the API, or their system with the
// grant's credential through the gateway. Every download is a row of the access log, with the
// data subjects in the file, exactly like a gateway call; asking for one and fetching one are audited.

type Extract = Static<typeof ExtractSchema>;

const present = (r: ExtractRow, days: number): Extract => ({
  id: r.id,
  grantId: r.grant_id,
  state: r.state,
  format: r.format,
  rowCount: r.row_count,
  sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
  checksum: r.checksum,
  error: r.error,
  requestedBy: r.requested_by_label,
  createdAt: r.created_at.toISOString(),
  finishedAt: r.finished_at ? r.finished_at.toISOString() : null,
  expiresAt:
    r.state === 'ready' || r.state === 'expired'
      ? (extractExpiresAt(r.finished_at, days)?.toISOString() ?? null)
      : null,
});

/** The refusal of a grant that is not active now (suspended, revoked, past its expiry), or undefined. */
export function inactiveGrant(grant: GrantForUse): AppError | undefined {
  if (grant.state === 'suspended')
    return new AppError('exchange.grant_suspended', 403, 'The grant is suspended');
  if (grant.state === 'revoked') return new AppError('exchange.grant_revoked', 403, 'The grant is revoked');
  if (grant.expires_at.getTime() <= Date.now())
    return new AppError('exchange.grant_expired', 403, 'The grant has expired');
  return undefined;
}

/** Queues an extract of a grant's projection. */
export async function createExtract(
  ctx: AppContext,
  actor: Actor | undefined,
  grantId: string,
  input: { format?: 'csv' | 'json' | undefined },
  meta?: RequestMeta,
): Promise<Extract> {
  const { actor: a, grant } = await grantToUse(ctx, actor, grantId);
  const refusal = inactiveGrant(grant);
  if (refusal) throw refusal;
  const id = randomUUID();
  const format = input.format ?? 'csv';
  const row = await ctx.db.transaction().execute(async (trx) => {
    const created = await insertExtract(trx, {
      id,
      grant_id: grantId,
      format,
      requested_by: a.personId || null,
      requested_by_label: a.username,
    });
    await queueExtract(trx, id);
    await auditAction(trx, a, meta, {
      action: 'exchange.extract.create',
      target: { type: 'exchange_extract', id },
      departmentId: grant.grantee_department_id,
      details: { grantId, format },
    });
    return created;
  });
  return present(row, ctx.config.exchangeExtractDays);
}

/** A grant's extracts, newest first. */
export async function listExtracts(ctx: AppContext, actor: Actor | undefined, grantId: string) {
  await grantToUse(ctx, actor, grantId);
  return (await listExtractRows(ctx.db, grantId)).map((r) => present(r, ctx.config.exchangeExtractDays));
}

/** How the caller stated the reason for a download (the credential path's headers). */
export interface DownloadContext {
  purpose: string | null;
  caseRef: string | null;
  userRef: string | null;
  withheldUntil: string | null;
  /** The call id the access log and the X-Civitas-Request-Id header carry. */
  callId: string;
  startedAt: number;
}

export interface Download {
  filename: string;
  mediaType: string;
  checksum: string;
  sizeBytes: number;
  body: Readable;
}

/** A download by the grantee's data administrators (session or API token). */
export async function downloadExtractAsStaff(
  ctx: AppContext,
  actor: Actor | undefined,
  extractId: string,
  meta: RequestMeta,
  call: Omit<DownloadContext, 'purpose' | 'withheldUntil'>,
): Promise<Download> {
  requireActor(actor);
  const extract = await findExtract(ctx.db, extractId);
  if (!extract) throw notFound('exchange.extract_not_found', 'Extract');
  const { actor: a, grant } = await grantToUse(ctx, actor, extract.grant_id);
  return deliver(ctx, grant, extract, auditActorOf(a), meta, {
    ...call,
    purpose: grant.purpose,
    userRef: call.userRef ?? a.username,
    withheldUntil: null,
  });
}

/** A download by the grant's system with its credential (the gateway); `grant` is the credential's. */
export async function downloadExtractAsSystem(
  ctx: AppContext,
  grant: GrantForUse,
  extractId: string,
  meta: RequestMeta,
  call: DownloadContext,
): Promise<Download> {
  const extract = await findExtract(ctx.db, extractId);
  // Another grant's extract is as unknown to this credential as one that does not exist.
  if (!extract || extract.grant_id !== grant.id) {
    await logRefusal(ctx, grant, call, 'invalid', 404, []);
    throw notFound('exchange.extract_not_found', 'Extract');
  }
  return deliver(ctx, grant, extract, { id: null, label: `system:${grant.system_name}` }, meta, call);
}

async function deliver(
  ctx: AppContext,
  grant: GrantForUse,
  extract: ExtractRow,
  who: AuditActor,
  meta: RequestMeta,
  call: DownloadContext,
): Promise<Download> {
  const refusal = inactiveGrant(grant);
  if (refusal) {
    await logRefusal(ctx, grant, call, 'refused', refusal.status, extract.fields);
    throw refusal;
  }
  // Past its time, whether or not the expiry tick has come by yet: refused like a stopped grant.
  if (
    extract.state === 'expired' ||
    (extract.state === 'ready' && extractTimeIsUp(extract.finished_at, ctx.config.exchangeExtractDays))
  ) {
    await logRefusal(ctx, grant, call, 'refused', 410, extract.fields);
    throw new AppError('exchange.extract_expired', 410, 'The extract has expired; ask for a new one');
  }
  if (extract.state !== 'ready' || !extract.storage_key)
    throw conflict('exchange.extract_not_ready', `The extract is ${extract.state}, not ready`);
  const body = ctx.files.open(extract.storage_key);
  if (!body) throw new AppError('exchange.extract_gone', 410, 'The extract file is no longer kept');
  const subjects = await readSubjects(ctx, extract.subjects_key);
  await ctx.db.transaction().execute(async (trx) => {
    await writeAccessLog(trx, [
      {
        ...logBase(grant, call),
        fields: extract.fields,
        rowCount: extract.row_count ?? 0,
        subjects,
        latencyMs: performance.now() - call.startedAt,
        outcome: 'ok',
        status: 200,
      },
    ]);
    await auditAction(trx, who, meta, {
      action: 'exchange.extract.download',
      target: { type: 'exchange_extract', id: extract.id },
      departmentId: grant.grantee_department_id,
      details: {
        grantId: grant.id,
        callId: call.callId,
        rows: extract.row_count,
        checksum: extract.checksum,
      },
    });
  });
  return {
    filename: `extract-${extract.id}.${extract.format}`,
    mediaType: extract.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    checksum: extract.checksum ?? '',
    sizeBytes: Number(extract.size_bytes ?? 0),
    body,
  };
}

async function readSubjects(ctx: AppContext, key: string | null): Promise<string[]> {
  if (!key) return [];
  const file = ctx.files.open(key);
  if (!file) throw new AppError('exchange.extract_gone', 410, 'The extract file is no longer kept');
  return (await text(file)).split('\n').filter(Boolean);
}

const logBase = (grant: GrantForUse, call: DownloadContext) => ({
  at: new Date(),
  callId: call.callId,
  grantId: grant.id,
  requesterDepartmentId: grant.grantee_department_id,
  ownerDepartmentId: grant.owner_department_id,
  datasetId: grant.dataset_id,
  distributionId: grant.distribution_id,
  systemName: grant.system_name,
  userRef: call.userRef,
  operation: 'extract',
  purpose: call.purpose,
  caseRef: call.caseRef,
  withheldUntil: call.withheldUntil,
});

/** Refused downloads are logged too (no data, no subjects), as the gateway logs refused calls. */
export async function logRefusal(
  ctx: AppContext,
  grant: GrantForUse,
  call: DownloadContext,
  outcome: AccessOutcome,
  status: number,
  fields: string[],
) {
  await writeAccessLog(ctx.db, [
    {
      ...logBase(grant, call),
      fields,
      rowCount: 0,
      subjects: [],
      latencyMs: performance.now() - call.startedAt,
      outcome,
      status,
    },
  ]);
}
