import type { HarvestRunDto, HarvestSourceDto } from '../../contracts/harvest.ts';
import {
  getHarvestRun,
  getHarvestSource,
  harvestJobHandlers,
  listHarvestSources,
  queueHarvestRunHere,
} from '../modules/catalog/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { runJobHere } from '../platform/jobs/index.ts';
import { CliError, type Io } from './cli-error.ts';
import { withContext } from './with-context.ts';

// `civitas harvest run <source>` runs a harvest in this process and prints its log; `civitas
// harvest list` lists the sources. The run is a job like any other (inserted already claimed by this
// process), so a server on the same PostgreSQL neither starts it too nor runs the source meanwhile.

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** A run's log as lines of text. */
export function formatRun(run: HarvestRunDto): string[] {
  const c = run.counts;
  const lines = [
    `Run ${run.id} of "${run.sourceName}": ${run.status} in ${seconds(run.timings.totalMs)} ` +
      `(gather ${seconds(run.timings.gatherMs)}, import ${seconds(run.timings.importMs)})`,
    `  ${c.pages} page(s), ${c.gathered} dataset(s) gathered: ${c.created} created, ${c.updated} updated, ` +
      `${c.unchanged} unchanged, ${c.withdrawn} withdrawn, ${c.restored} restored, ${c.skipped} skipped, ${c.errors} error(s)`,
  ];
  for (const e of run.errors)
    lines.push(`  error [${e.stage}]${e.remoteId ? ` ${e.remoteId}` : ''}: ${e.message}`);
  if (c.errors > run.errors.length) lines.push(`  … and ${c.errors - run.errors.length} more error(s)`);
  return lines;
}

function formatSource(s: HarvestSourceDto): string {
  const last = s.lastRun
    ? `last run ${s.lastRun.status} ${s.lastRun.finishedAt ?? s.lastRun.queuedAt}`
    : 'never run';
  return `${s.name}\t${s.kind}\t${s.schedule}\t${s.active ? 'active' : 'inactive'}\t${s.datasetCount} datasets\t${last}\t${s.url}`;
}

export async function harvestListCommand(config: Config, io: Io): Promise<number> {
  return withContext(config, 'harvest list', async (ctx) => {
    const sources = await listHarvestSources(ctx, systemActor('cli'));
    if (sources.length === 0) io.err('No harvest sources are registered.');
    for (const s of sources) io.out(formatSource(s));
    return 0;
  });
}

/** Exit 0 when the run succeeded, 1 when it was partial or failed. */
export async function harvestRunCommand(config: Config, io: Io, name: string): Promise<number> {
  return withContext(config, 'harvest run', async (ctx) => {
    const actor = systemActor('cli');
    const source = await getHarvestSource(ctx, actor, { name }).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404)
        throw new CliError(`No harvest source is named "${name}"`);
      throw err;
    });
    if (!source.active) throw new CliError(`The harvest source "${name}" is deactivated`);
    const { claimed, runId } = await queueHarvestRunHere(ctx, {
      id: source.id,
      name: source.name,
      department_id: source.department.id,
    });
    if (!runId)
      throw new CliError(
        `A run of "${name}" is already queued or running (job ${claimed.id}); try again when it has finished`,
      );
    io.err(`Harvesting "${source.title}" (${source.kind}, ${source.url}) …`);
    await runJobHere(ctx, claimed, harvestJobHandlers['catalog.harvest']);
    const run = await getHarvestRun(ctx, actor, runId);
    for (const line of formatRun(run)) io.out(line);
    return run.status === 'succeeded' ? 0 : 1;
  });
}
