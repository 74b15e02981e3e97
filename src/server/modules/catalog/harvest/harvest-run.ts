import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  HARVEST_LIMIT_DEFAULTS,
  type HarvestCounts,
  type HarvestError,
  type HarvestLimits,
} from '../../../../contracts/harvest.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { HarvestRunStatus } from '../../../platform/db-schema.ts';
import { auditAction } from '../../../platform/http/audit-action.ts';
import { JobAbortedError } from '../../../platform/jobs/index.ts';
import { listThemes } from '../catalog-info.service.ts';
import {
  findRun,
  findSource,
  harvestedDatasets,
  markRunStarted,
  type RunOutcome,
  saveRun,
} from './harvest.repository.ts';
import { gatherCkan } from './harvest-ckan.ts';
import { gatherDcat } from './harvest-dcat.ts';
import { type Fetched, fetchLimited, HarvestLimitError } from './harvest-fetch.ts';
import { errorMessage, type ImportEnv, importDataset, withdrawRemoved } from './harvest-import.ts';
import type { GatherEnv, Gatherer, GatherItem } from './harvest-types.ts';

// One harvest run: gather (page by page, within the source's limits) → import each dataset as its
// page arrives → withdraw what the source no longer lists. The last step happens only after a
// complete gather: a run cut short by a limit, an error or a cancel never withdraws anything.

const GATHERERS: Record<string, Gatherer> = { ckan: gatherCkan, dcat: gatherDcat };
/** Errors kept in the run log; counts.errors has the total. */
const MAX_LOGGED_ERRORS = 1000;

/** A source's limits with the defaults filled in. */
export function limitsOf(stored: Record<string, number> | null | undefined): HarvestLimits {
  return { ...HARVEST_LIMIT_DEFAULTS, ...(stored ?? {}) };
}

export const zeroCounts = (): HarvestCounts => ({
  gathered: 0,
  pages: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  withdrawn: 0,
  restored: 0,
  skipped: 0,
  errors: 0,
});

class RunLog {
  readonly counts = zeroCounts();
  readonly errors: HarvestError[] = [];
  readonly timings = { gatherMs: 0, importMs: 0, totalMs: 0 };
  private readonly started = performance.now();

  error(stage: HarvestError['stage'], message: string, remoteId?: string) {
    this.counts.errors++;
    if (this.errors.length < MAX_LOGGED_ERRORS)
      this.errors.push({ stage, ...(remoteId ? { remoteId: remoteId.slice(0, 500) } : {}), message });
  }

  outcome(status: HarvestRunStatus): RunOutcome {
    this.timings.totalMs = Math.round(performance.now() - this.started);
    this.timings.gatherMs = Math.round(this.timings.gatherMs);
    this.timings.importMs = Math.round(this.timings.importMs);
    return { status, counts: { ...this.counts }, errors: [...this.errors], timings: { ...this.timings } };
  }
}

export interface RunHooks {
  /** Aborted when the job is cancelled, taken over, or its worker stops. */
  signal: AbortSignal;
  onProgress?: (counts: HarvestCounts) => Promise<void>;
}

/** Executes a queued run to its end and records it; returns what was recorded. */
export async function executeHarvest(ctx: AppContext, runId: string, hooks: RunHooks): Promise<RunOutcome> {
  const run = await findRun(ctx.db, runId);
  if (!run) throw new Error(`harvest run ${runId} does not exist`);
  const source = await findSource(ctx.db, { id: run.source_id });
  if (!source) throw new Error(`harvest source ${run.source_id} does not exist`);
  const log = new RunLog();
  if (run.status === 'cancelled' || !source.active) return log.outcome('cancelled');
  await markRunStarted(ctx.db, runId);

  const limits = limitsOf(source.limits);
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new HarvestLimitError(`time limit reached (${limits.maxSeconds} s)`)),
    limits.maxSeconds * 1000,
  );
  const signal = AbortSignal.any([hooks.signal, deadline.signal]);
  const env: ImportEnv = {
    ctx,
    actor: systemActor(`harvest:${source.name}`),
    source,
    themes: await listThemes(ctx),
    existing: await harvestedDatasets(ctx.db, source.id),
  };
  const seen = new Set<string>();
  try {
    const complete = await gatherAndImport(source, limits, log, seen, env, signal, hooks);
    if (complete && !signal.aborted) await withdrawMissing(env, seen, log, signal);
    const status: HarvestRunStatus = hooks.signal.aborted
      ? 'cancelled'
      : complete
        ? log.counts.errors === 0
          ? 'succeeded'
          : 'partial'
        : log.counts.gathered > 0
          ? 'partial'
          : 'failed';
    return await finish(ctx, runId, source, log, status, hooks.signal);
  } catch (err) {
    if (err instanceof JobAbortedError) throw err;
    // Something beyond the source broke (the database?): record it, and let the job retry.
    log.error('run', errorMessage(err));
    await saveRun(ctx.db, runId, log.outcome('failed'), true).catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

async function gatherAndImport(
  source: { url: string; kind: string },
  limits: HarvestLimits,
  log: RunLog,
  seen: Set<string>,
  env: ImportEnv,
  signal: AbortSignal,
  hooks: RunHooks,
): Promise<boolean> {
  const read = new Set<string>();
  let lastDigest: string | undefined;
  const gatherEnv: GatherEnv = {
    fetchPage: async (url: string, accept: string): Promise<Fetched> => {
      if (read.has(url)) throw new HarvestLimitError(`next-page loop: ${url} was already read in this run`);
      if (log.counts.pages >= limits.maxPages)
        throw new HarvestLimitError(`page limit reached (${limits.maxPages} pages)`);
      read.add(url);
      const fetched = await fetchLimited(url, {
        accept,
        maxBytes: limits.maxResponseBytes,
        signal,
        timeoutMs: Math.min(60_000, limits.maxSeconds * 1000),
        allowInternal: env.ctx.config.harvestAllowInternal,
      });
      log.counts.pages++;
      const digest = createHash('sha256').update(fetched.body).digest('hex');
      // ckanext-harvest's guard: a source that ignores the paging parameters answers the same page again.
      if (digest === lastDigest)
        throw new HarvestLimitError(
          `${url} answered the same page as the one before: the paging does not work`,
        );
      lastDigest = digest;
      return fetched;
    },
  };
  const gatherer = GATHERERS[source.kind];
  if (!gatherer) throw new Error(`unknown harvest kind ${source.kind}`);
  const pages = gatherer(source.url, gatherEnv);
  try {
    for (;;) {
      const t0 = performance.now();
      const next = await pages.next();
      log.timings.gatherMs += performance.now() - t0;
      if (next.done) return true;
      const t1 = performance.now();
      for (const item of next.value.items) {
        signal.throwIfAborted();
        await importItem(env, item, limits, log, seen);
      }
      log.timings.importMs += performance.now() - t1;
      await hooks.onProgress?.(log.counts);
    }
  } catch (err) {
    log.error('gather', errorMessage(err));
    await pages.return(undefined).catch(() => {});
    return false;
  }
}

async function importItem(
  env: ImportEnv,
  item: GatherItem,
  limits: HarvestLimits,
  log: RunLog,
  seen: Set<string>,
) {
  const remoteId = item.remoteId;
  if (remoteId !== undefined && seen.has(remoteId)) return; // listed twice (paging while the source changed)
  if (log.counts.gathered >= limits.maxDatasets)
    throw new HarvestLimitError(`dataset limit reached (${limits.maxDatasets} datasets)`);
  log.counts.gathered++;
  // Listed, even if unreadable: it must not be withdrawn as gone.
  if (remoteId !== undefined) seen.add(remoteId);
  if ('error' in item) {
    log.error('gather', item.error, remoteId);
    return;
  }
  try {
    log.counts[await importDataset(env, item)]++;
  } catch (err) {
    log.error('import', errorMessage(err), item.remoteId);
  }
}

async function withdrawMissing(env: ImportEnv, seen: Set<string>, log: RunLog, signal: AbortSignal) {
  for (const local of env.existing.values()) {
    if (seen.has(local.remoteId)) continue;
    if (signal.aborted) {
      log.error('withdraw', errorMessage(signal.reason));
      return;
    }
    try {
      if (await withdrawRemoved(env, local)) log.counts.withdrawn++;
    } catch (err) {
      log.error('withdraw', errorMessage(err), local.remoteId);
    }
  }
}

async function finish(
  ctx: AppContext,
  runId: string,
  source: { id: string; name: string; department_id: string },
  log: RunLog,
  status: HarvestRunStatus,
  jobSignal: AbortSignal,
): Promise<RunOutcome> {
  const why = jobSignal.reason instanceof JobAbortedError ? jobSignal.reason.why : undefined;
  if (why === 'lost') throw jobSignal.reason; // another node runs it now and keeps the log
  if (why === 'stopping') {
    // Back in the queue with its job: the next node starts the run again.
    await saveRun(ctx.db, runId, log.outcome('queued'), false);
    throw jobSignal.reason;
  }
  const outcome = log.outcome(status);
  await ctx.db.transaction().execute(async (trx) => {
    await saveRun(trx, runId, outcome, true);
    await auditAction(trx, systemActor(`harvest:${source.name}`), undefined, {
      action: 'catalog.harvest.run',
      target: { type: 'harvest_source', id: source.id },
      departmentId: source.department_id,
      details: { runId, status, counts: outcome.counts, errors: outcome.counts.errors },
    });
  });
  return outcome;
}
