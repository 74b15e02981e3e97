import type { IncomingHttpHeaders } from 'node:http';
import {
  GATEWAY_DEFAULT_LIMIT,
  GATEWAY_LOOKUP_LIMIT,
  type GatewayGrant,
  type GatewayRecords,
} from '../../../contracts/exchange-gateway.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { AccessLogEntry, AccessLogWriter, AccessOutcome } from './access-log.writer.ts';
import { credentialOf, hashCredential } from './credential.ts';
import {
  forgetGrant,
  type GatewayColumn,
  type GrantDefinition,
  grantOfCredential,
} from './gateway.grants.ts';
import { readStatement, requireStatement } from './gateway.headers.ts';
import {
  type DataResult,
  lookupRows,
  parseFilters,
  present,
  recordRows,
  subjectsOf,
} from './gateway.queries.ts';
import type { RateLimiter } from './rate-limit.ts';

// The gateway's rules, enforced at every call in this order: a known credential (401), a grant that
// is active, unexpired and for this table (403), within its rate (429), a stated purpose and valid
// parameters (400), granted fields only (403); then one guarded data query, the call's log row
// written durably, and only then the answer. Every call past the credential check — and every
// attempt with an unknown one — leaves exactly one row in the access log, refusals included.

export type GatewayOp = 'grant' | 'lookup' | 'records';

export interface GatewayCall {
  op: GatewayOp;
  headers: IncomingHttpHeaders;
  ip: string;
  /** The request id, returned as X-Civitas-Request-Id and stored as the log row's call id. */
  callId: string;
  at: Date;
  /** performance.now() when the request arrived. */
  started: number;
  distributionId?: string;
  query: Record<string, unknown>;
  /** A schema violation of the query, refused after the credential check so that it is logged. */
  validationError?: Error;
  setHeader(name: string, value: string): void;
}

const outcomeOf = (status: number): AccessOutcome =>
  status < 300
    ? 'ok'
    : status === 429
      ? 'rate_limited'
      : status === 401 || status === 403
        ? 'refused'
        : status >= 500
          ? 'error'
          : 'invalid';

/** What the log row of a call records beyond its time and outcome. */
interface Trace {
  def?: GrantDefinition;
  fields: string[];
  rowCount: number;
  subjects: string[];
}

export class Gateway {
  constructor(
    private readonly ctx: AppContext,
    private readonly writer: AccessLogWriter,
    private readonly limiter: RateLimiter,
  ) {}

  /** Handles one call: its answer's body, or throws its refusal; logs it either way. */
  async handle(call: GatewayCall): Promise<GatewayGrant | GatewayRecords> {
    const trace: Trace = { fields: [], rowCount: 0, subjects: [] };
    let body: GatewayGrant | GatewayRecords;
    try {
      body = await this.#serve(call, trace);
    } catch (err) {
      const status =
        err instanceof AppError ? err.status : (err as { validation?: unknown }).validation ? 400 : 500;
      await this.#log(call, trace, status);
      throw err;
    }
    await this.#log(call, trace, 200);
    return body;
  }

  async #serve(call: GatewayCall, trace: Trace): Promise<GatewayGrant | GatewayRecords> {
    const credential = credentialOf(call.headers);
    const hash = credential ? hashCredential(credential) : undefined;
    let def = hash ? await grantOfCredential(this.ctx.db, hash) : undefined;
    // A refusal is never made on cached state: the grant may have been resumed or renewed a moment ago.
    if (def && hash && call.op !== 'grant' && !usable(def))
      def = await grantOfCredential(this.ctx.db, hash, { fresh: true });
    if (!def) {
      // Guessing credentials costs the guesser the address's general budget.
      await this.#limit(`ip:${call.ip}`, this.ctx.config.rateLimitPerMinute, call);
      throw credential
        ? new AppError('exchange.credential_invalid', 401, 'The credential is unknown or was replaced')
        : new AppError(
            'exchange.credential_missing',
            401,
            'Send the grant credential as Authorization: Bearer cvx_… or X-Civitas-Credential',
          );
    }
    trace.def = def;
    if (call.op === 'grant') return grantView(def);

    refuseUnusable(def);
    if (call.distributionId !== def.distributionId)
      throw new AppError('exchange.resource_not_granted', 403, 'The grant is for another resource', {
        distributionId: def.distributionId,
      });
    if (def.delivery !== 'api')
      throw new AppError('exchange.api_not_granted', 403, 'The grant delivers file extracts, not API calls');
    await this.#limit(`grant:${def.id}`, def.rateLimitPerMinute, call);
    requireStatement(call.headers, def.confidential);
    if (call.validationError) throw call.validationError;
    if (!def.columns || !def.projection)
      throw new AppError('exchange.resource_unavailable', 409, 'The resource has no loaded data yet');

    let result: DataResult;
    let page: { limit: number; offset: number } | undefined;
    if (call.op === 'lookup') {
      const field = String(call.query.field);
      const [column] = grantedColumns(def, [field]);
      result = await lookupRows(this.ctx, def, column!, String(call.query.value), GATEWAY_LOOKUP_LIMIT);
    } else {
      const filters = parseFilters(call.query.filters as string | undefined);
      const columns = grantedColumns(
        def,
        filters.map(([id]) => id),
      );
      page = {
        limit: (call.query.limit as number | undefined) ?? GATEWAY_DEFAULT_LIMIT,
        offset: (call.query.offset as number | undefined) ?? 0,
      };
      result = await recordRows(
        this.ctx,
        def,
        filters.map(([, value], i) => [columns[i]!, value]),
        page.limit,
        page.offset,
      );
    }
    if (!result.grantOk) await this.#refuseStale(def);
    const rows = page ? result.rows.slice(0, page.limit) : result.rows;
    trace.fields = def.columns.map((c) => c.id);
    trace.rowCount = rows.length;
    trace.subjects = subjectsOf(def, this.ctx.cipher, rows);
    return {
      requestId: call.callId,
      fields: def.columns.map(({ id, label, access }) => ({ id, label, access })),
      records: present(def, rows),
      limit: page ? page.limit : null,
      offset: page ? page.offset : null,
      hasMore: page ? result.rows.length > page.limit : false,
    };
  }

  async #limit(key: string, perMinute: number, call: GatewayCall) {
    const decision = await this.limiter.take(key, perMinute);
    if (decision.ok) return;
    call.setHeader('retry-after', String(decision.retryAfterSeconds));
    throw new AppError('exchange.rate_limited', 429, 'The grant’s rate limit is reached; retry later', {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }

  /** The guard refused what the cache allowed: the grant changed a moment ago. Says how. */
  async #refuseStale(def: GrantDefinition): Promise<never> {
    forgetGrant(def.id);
    const fresh = await grantOfCredential(this.ctx.db, def.credentialHash, { fresh: true });
    if (!fresh)
      throw new AppError('exchange.credential_invalid', 401, 'The credential is unknown or was replaced');
    refuseUnusable(fresh);
    throw new AppError('exchange.grant_unavailable', 403, 'The grant cannot be used right now');
  }

  async #log(call: GatewayCall, trace: Trace, status: number) {
    const def = trace.def;
    const statement = readStatement(call.headers);
    const entry: AccessLogEntry = {
      at: call.at,
      callId: call.callId,
      grantId: def?.id ?? null,
      requesterDepartmentId: def?.granteeDepartmentId ?? null,
      ownerDepartmentId: def?.ownerDepartmentId ?? null,
      datasetId: def?.datasetId ?? null,
      distributionId: def?.distributionId ?? null,
      systemName: def?.systemName ?? null,
      userRef: statement.userRef,
      operation: call.op,
      fields: trace.fields,
      rowCount: trace.rowCount,
      subjects: trace.subjects,
      purpose: statement.purpose,
      caseRef: statement.caseRef,
      withheldUntil: status < 300 && def?.confidential ? statement.withheldUntil : null,
      latencyMs: performance.now() - call.started,
      outcome: outcomeOf(status),
      status,
    };
    try {
      await this.writer.write(entry);
    } catch {
      // No log row, no answer: the data (or the refusal) does not leave unrecorded.
      throw new AppError('exchange.log_unavailable', 503, 'The access log cannot be written; retry shortly');
    }
  }
}

const usable = (def: GrantDefinition) => def.state === 'active' && def.expiresAt.getTime() > Date.now();

/** Refuses a grant that is suspended, revoked or expired, with a stable code for each. */
function refuseUnusable(def: GrantDefinition) {
  if (def.state === 'revoked')
    throw new AppError('exchange.grant_revoked', 403, 'The grant was revoked', { grantId: def.id });
  if (def.state === 'suspended')
    throw new AppError('exchange.grant_suspended', 403, 'The grant is suspended', { grantId: def.id });
  if (def.expiresAt.getTime() <= Date.now())
    throw new AppError('exchange.grant_expired', 403, 'The grant has expired', {
      grantId: def.id,
      expiresAt: def.expiresAt.toISOString(),
    });
}

/** The granted columns named `ids`, or a refusal listing those that are not granted. */
function grantedColumns(def: GrantDefinition, ids: string[]): GatewayColumn[] {
  const byId = new Map(def.columns!.map((c) => [c.id, c]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length)
    throw new AppError('exchange.field_not_granted', 403, `Not granted: ${missing.join(', ')}`, {
      fields: missing,
    });
  return ids.map((id) => byId.get(id)!);
}

function grantView(def: GrantDefinition): GatewayGrant {
  const expired = def.state === 'active' && def.expiresAt.getTime() <= Date.now();
  return {
    grantId: def.id,
    datasetId: def.datasetId,
    distributionId: def.distributionId,
    titleZh: def.titleZh,
    titleEn: def.titleEn,
    ownerDepartmentId: def.ownerDepartmentId,
    granteeDepartmentId: def.granteeDepartmentId,
    systemName: def.systemName,
    purpose: def.purpose,
    fields: (def.columns ?? []).map(({ id, label, access }) => ({ id, label, access })),
    rowFilter: def.rowFilter,
    rateLimitPerMinute: def.rateLimitPerMinute,
    delivery: def.delivery,
    confidential: def.confidential,
    state: expired ? 'expired' : def.state,
    expiresAt: def.expiresAt.toISOString(),
  };
}
