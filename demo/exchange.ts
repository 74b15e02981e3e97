import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { DictionaryColumn } from '../src/contracts/datastore.ts';
import { addFileDistribution } from '../src/server/modules/catalog/index.ts';
import { datastoreJobHandlers, LOAD_JOB, updateDictionary } from '../src/server/modules/datastore/index.ts';
import {
  AccessLogWriter,
  createAccessRequest,
  decideAccessRequest,
  Gateway,
  issueCredential,
  MemoryRateLimiter,
  sequenceAccessLog,
} from '../src/server/modules/exchange/index.ts';
import { type Actor, type ActorRole, systemActor } from '../src/server/platform/auth/actor.ts';
import type { AppContext } from '../src/server/platform/context.ts';
import type { DepartmentRole } from '../src/server/platform/db-schema.ts';
import { AppError } from '../src/server/platform/errors.ts';
import { runJobHere } from '../src/server/platform/jobs/index.ts';
import {
  DEMO_REQUESTS,
  type DemoCall,
  type DemoRequest,
  ENROLMENT_DATASET,
  RECIPIENTS_DATASET,
  RECIPIENTS_DICTIONARY,
  RECIPIENTS_FILE,
  recipientsCsv,
} from './exchange-data.ts';

// The demo city's data exchange, through the exchange's own services as its staff would use them:
// Civil Affairs' register of subsistence allowance recipients loaded into a table with its
// dictionary; requests from other departments approved (narrowed), refused, left pending and granted
// automatically; and the grantees' systems calling the real gateway, so that the access log — and a
// demo citizen's "my data" page — shows who read what, why and for which case. Credentials are
// issued for those calls and never kept: a steward rotates one in the console to call for real.

/** What the demo exchange holds, and what this run added. */
export interface DemoExchangeSummary {
  /** Demo access requests (all present after loading). */
  requests: number;
  /** Requests this run filed. */
  created: number;
  /** Gateway calls this run made (each one a row of the access log). */
  calls: number;
}

/** Loads the demo exchange; idempotent (requests are matched by resource and requesting department). */
export async function loadDemoExchange(ctx: AppContext): Promise<DemoExchangeSummary> {
  const system = systemActor('demo');
  const departments = new Map(
    (await ctx.db.selectFrom('departments').select(['id', 'code']).execute()).map((d) => [d.code, d.id]),
  );
  const tables = new Map<string, string>([
    [RECIPIENTS_DATASET, await recipientsTable(ctx, system)],
    [ENROLMENT_DATASET, await loadedFile(ctx, ENROLMENT_DATASET)],
  ]);

  let created = 0;
  let calls = 0;
  const gateway = localGateway(ctx);
  try {
    for (const req of DEMO_REQUESTS) {
      const distributionId = tables.get(req.dataset)!;
      const requesterId = departments.get(req.requester);
      if (!requesterId) throw new Error(`The demo exchange names an unknown department ${req.requester}`);
      let request = await ctx.db
        .selectFrom('exchange_requests')
        .select(['id', 'state', 'grant_id'])
        .where('distribution_id', '=', distributionId)
        .where('requester_department_id', '=', requesterId)
        .orderBy('created_at')
        .executeTakeFirst();
      if (!request) {
        request = await fileRequest(ctx, req, distributionId, requesterId);
        created++;
      }
      // Calls are made once per grant: a rerun finds them in the log.
      if (request.state === 'approved' && request.grant_id && req.calls?.length) {
        const grantId = request.grant_id;
        const logged = await ctx.db
          .selectFrom('exchange_access_log')
          .select('call_id')
          .where('grant_id', '=', grantId)
          .limit(1)
          .executeTakeFirst();
        if (!logged)
          calls += await gateway.call(
            await issueCredential(ctx, await staffActor(ctx, req.by), grantId),
            distributionId,
            req.calls,
          );
      }
    }
  } finally {
    await gateway.close();
  }
  // The rows go in unchained; chain them now rather than waiting for a server to do it.
  if (calls > 0) await sequenceAccessLog(ctx.db);
  return { requests: DEMO_REQUESTS.length, created, calls };
}

/** Files a demo request as its department's steward, and decides it as the owner's steward. */
async function fileRequest(ctx: AppContext, req: DemoRequest, distributionId: string, requesterId: string) {
  const columns = await ctx.db
    .selectFrom('datastore_tables')
    .select('columns')
    .where('distribution_id', '=', distributionId)
    .executeTakeFirstOrThrow();
  const fields =
    req.fields ??
    (columns.columns as DictionaryColumn[]).filter((c) => c.sensitivity !== 'secret').map((c) => c.id);
  const filed = await createAccessRequest(ctx, await staffActor(ctx, req.by), {
    distributionId,
    requesterDepartmentId: requesterId,
    purpose: req.purpose,
    legalBasis: req.legalBasis,
    fields,
    durationDays: req.durationDays,
    expectedCallsPerDay: req.expectedCallsPerDay,
    systemName: req.systemName,
  });
  let decided = filed;
  if (req.decision) {
    const { by, ...decision } = req.decision;
    decided = await decideAccessRequest(ctx, await staffActor(ctx, by), filed.id, decision);
  }
  return { id: decided.id, state: decided.state, grant_id: decided.grantId };
}

/**
 * Civil Affairs' register: a file distribution of its conditionally shared resource, loaded into a
 * table now (the requests need its columns) and described by the steward's dictionary.
 */
async function recipientsTable(ctx: AppContext, system: Actor): Promise<string> {
  const dataset = await ctx.db
    .selectFrom('catalog_datasets')
    .select('id')
    .where('name', '=', RECIPIENTS_DATASET)
    .executeTakeFirstOrThrow();
  const existing = await ctx.db
    .selectFrom('catalog_distributions')
    .select('id')
    .where('dataset_id', '=', dataset.id)
    .where('kind', '=', 'file')
    .executeTakeFirst();
  if (!existing)
    await addFileDistribution(ctx, system, dataset.id, {
      filename: RECIPIENTS_FILE,
      name: RECIPIENTS_FILE,
      description:
        '最低生活保障对象名册（演示数据，30户） · Register of subsistence allowance recipients (demo data)',
      content: recipientsCsv(),
    });
  const distributionId = await loadedFile(ctx, RECIPIENTS_DATASET);
  // Applies only what differs: nothing (and no audit entry) on a rerun.
  await updateDictionary(ctx, system, distributionId, { columns: RECIPIENTS_DICTIONARY });
  return distributionId;
}

/**
 * The file distribution of a demo resource, with its table loaded: a load still queued (the catalog
 * queues one for every stored file) runs here and now, the way `civitas import` runs one.
 */
async function loadedFile(ctx: AppContext, datasetName: string): Promise<string> {
  const dist = await ctx.db
    .selectFrom('catalog_distributions as d')
    .innerJoin('catalog_datasets as ds', 'ds.id', 'd.dataset_id')
    .leftJoin('datastore_tables as t', 't.distribution_id', 'd.id')
    .select(['d.id', 't.current_version'])
    .where('ds.name', '=', datasetName)
    .where('d.kind', '=', 'file')
    .executeTakeFirstOrThrow();
  if (dist.current_version !== null) return dist.id;
  const load = await ctx.db
    .selectFrom('datastore_loads')
    .select('job_id')
    .where('distribution_id', '=', dist.id)
    .where('status', '=', 'queued')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  const nodeId = 'demo';
  // Claimed first, so that no worker of a server on the same database starts it too.
  const claimed =
    load?.job_id &&
    (
      await sql<{ id: string }>`
        update jobs set status = 'running', attempts = attempts + 1, locked_by = ${nodeId},
          locked_until = now() + interval '1 minute'
        where id = ${load.job_id} and status = 'queued' returning id`.execute(ctx.db)
    ).rows[0];
  if (claimed)
    await runJobHere(ctx, { id: claimed.id, nodeId, leaseMs: 60_000 }, datastoreJobHandlers[LOAD_JOB]);
  const table = await ctx.db
    .selectFrom('datastore_tables')
    .select('current_version')
    .where('distribution_id', '=', dist.id)
    .executeTakeFirst();
  if (table?.current_version == null) throw new Error(`The demo table of ${datasetName} did not load`);
  return dist.id;
}

/** A demo staff member as the services see them once signed in (the platform itself when absent). */
async function staffActor(ctx: AppContext, username: string | undefined): Promise<Actor> {
  if (!username) return systemActor('demo');
  const rows = await ctx.db
    .selectFrom('people as p')
    .leftJoin('role_assignments as r', 'r.person_id', 'p.id')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .select(['p.id', 'p.display_name', 'p.is_platform_admin', 'r.department_id', 'd.path', 'r.role'])
    .where('p.username', '=', username)
    .where('p.kind', '=', 'staff')
    .execute();
  const person = rows[0];
  if (!person) throw new Error(`The demo exchange names an unknown staff member ${username}`);
  const roles: ActorRole[] = rows
    .filter((r) => r.department_id && r.path && r.role)
    .map((r) => ({
      departmentId: r.department_id!,
      departmentPath: r.path!,
      role: r.role as DepartmentRole,
    }));
  return {
    personId: person.id,
    username,
    displayName: person.display_name,
    kind: 'staff',
    isPlatformAdmin: person.is_platform_admin,
    roles,
    via: 'session',
  };
}

/** The gateway in this process: each call passes its checks and leaves its row in the access log. */
function localGateway(ctx: AppContext) {
  const writer = new AccessLogWriter(ctx.db);
  const limiter = new MemoryRateLimiter();
  const gateway = new Gateway(ctx, writer, limiter);
  return {
    /** Makes the calls with a just-issued credential (then forgotten); returns how many were made. */
    async call(issued: { credential: string }, distributionId: string, calls: readonly DemoCall[]) {
      for (const c of calls) {
        try {
          await gateway.handle({
            op: c.lookup ? 'lookup' : 'records',
            headers: {
              authorization: `Bearer ${issued.credential}`,
              // As systems send Chinese text in headers (RFC 8187).
              'x-civitas-purpose': `utf-8''${encodeURIComponent(c.purpose)}`,
              'x-civitas-case': c.caseRef,
              'x-civitas-user': c.user,
            },
            ip: '127.0.0.1',
            callId: randomUUID(),
            at: new Date(),
            started: performance.now(),
            distributionId,
            query: c.lookup
              ? { field: '身份证号', value: c.lookup }
              : { filters: JSON.stringify(c.filter ?? {}) },
            setHeader: () => {},
          });
        } catch (err) {
          // A refusal is part of the demo (and logged); anything else is a fault.
          if (!(err instanceof AppError) || err.status >= 500) throw err;
        }
      }
      return calls.length;
    },
    async close() {
      await writer.flush();
      await limiter.close();
    },
  };
}
