import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import { runJobHere } from '../../platform/jobs/index.ts';
import type { AccessLogEntry } from './access-log.writer.ts';
import { newCredential } from './credential.ts';
import { exchangeJobHandlers } from './exchange.jobs.ts';

// Grants made straight in the database, for tests of what a grant enables (subscriptions, extracts,
// the gateway) without going through requests and decisions.

export interface TestGrantInput {
  datasetId: string;
  distributionId: string;
  ownerDepartmentId: string;
  granteeDepartmentId: string;
  fields: string[];
  clearFields?: string[];
  rowFilter?: Record<string, string>;
  state?: 'active' | 'suspended' | 'revoked';
  delivery?: 'api' | 'file';
  confidential?: boolean;
  /** Days until expiry; negative for an expired grant. */
  days?: number;
  rateLimitPerMinute?: number;
}

/** An approved request and its grant, with a credential; returns the grant id and the credential. */
export async function insertTestGrant(ctx: AppContext, g: TestGrantInput) {
  const requestId = randomUUID();
  const grantId = randomUUID();
  const { credential, hash, prefix } = newCredential();
  const common = {
    dataset_id: g.datasetId,
    distribution_id: g.distributionId,
    owner_department_id: g.ownerDepartmentId,
    system_name: 'test-system',
    purpose: '测试用途',
    legal_basis: '测试依据',
    fields: g.fields,
    row_filter: JSON.stringify(g.rowFilter ?? {}),
    delivery: g.delivery ?? 'file',
    confidential: g.confidential ?? false,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('exchange_requests')
      .values({
        ...common,
        id: requestId,
        requester_department_id: g.granteeDepartmentId,
        requested_by: null,
        requested_by_label: 'test',
        duration_days: 30,
        state: 'approved',
        grant_id: grantId,
      })
      .execute();
    await trx
      .insertInto('exchange_grants')
      .values({
        ...common,
        id: grantId,
        request_id: requestId,
        grantee_department_id: g.granteeDepartmentId,
        clear_fields: g.clearFields ?? [],
        rate_limit_per_minute: g.rateLimitPerMinute ?? 600,
        state: g.state ?? 'active',
        expires_at: sql<Date>`now() + make_interval(days => ${g.days ?? 30})` as unknown as Date,
        credential_hash: hash,
        credential_prefix: prefix,
        credential_issued_at: new Date(),
      })
      .execute();
  });
  return { grantId, credential };
}

/** Sets a grant's state (and optionally moves its expiry into the past). */
export async function setTestGrantState(
  ctx: AppContext,
  grantId: string,
  state: 'active' | 'suspended' | 'revoked',
  expired = false,
) {
  await ctx.db
    .updateTable('exchange_grants')
    .set({
      state,
      ...(expired ? { expires_at: sql<Date>`now() - interval '1 day'` as unknown as Date } : {}),
    })
    .where('id', '=', grantId)
    .execute();
}

/**
 * Runs queued exchange jobs of `kind` in this process, oldest first, whatever their run_at (a retry
 * queued for later runs now: tests never wait). Returns how many ran.
 */
export async function drainExchangeJobs(ctx: AppContext, kind: string, max = 50): Promise<number> {
  const handler = exchangeJobHandlers[kind];
  if (!handler) throw new Error(`no handler for ${kind}`);
  let ran = 0;
  while (ran < max) {
    const claimed = await sql<{ id: string }>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = 'test', locked_until = now() + interval '10 minutes'
      where id = (select id from jobs where kind = ${kind} and status = 'queued' order by run_at, created_at limit 1)
      returning id`.execute(ctx.db);
    const job = claimed.rows[0];
    if (!job) break;
    await runJobHere(ctx, { id: job.id, nodeId: 'test', leaseMs: 600_000 }, handler);
    ran++;
  }
  return ran;
}

let logSerial = 0;

/**
 * An access log row as the gateway records one, with text that tests the chain's canonical body
 * (quotes, a backslash, a newline, a character beyond the Basic Multilingual Plane) and a latency
 * and withheld date that vary from row to row; call ids `<prefix>-<n>`.
 */
export function logEntry(prefix: string, o: Partial<AccessLogEntry> = {}): AccessLogEntry {
  const serial = logSerial++;
  return {
    at: new Date(),
    callId: `${prefix}-${serial}`,
    grantId: null,
    requesterDepartmentId: null,
    ownerDepartmentId: null,
    datasetId: null,
    distributionId: null,
    systemName: '人社系统 "quoted" 𠀀',
    userRef: 'clerk\\7',
    operation: 'lookup',
    fields: ['姓名', 'resident_id'],
    rowCount: 1,
    subjects: ['resident_id:abc_-XYZ'],
    purpose: '低保复核\nline two',
    caseRef: null,
    withheldUntil: serial % 3 === 0 ? '2027-03-01' : null,
    latencyMs: 1.2345 * serial,
    outcome: 'ok',
    status: 200,
    ...o,
  };
}
