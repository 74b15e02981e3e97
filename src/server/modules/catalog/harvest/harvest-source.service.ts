import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  CreateHarvestSourceBody,
  type CreateHarvestSourceInput,
  type HarvestRunDto,
  type HarvestRunRequestedDto,
  type HarvestSourceDto,
  UpdateHarvestSourceBody,
  type UpdateHarvestSourceInput,
} from '../../../../contracts/harvest.ts';
import { type Actor, authorize } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import type { Db } from '../../../platform/db.ts';
import { AppError, conflict, invalid, notFound } from '../../../platform/errors.ts';
import { auditAction } from '../../../platform/http/audit-action.ts';
import { isUniqueViolation, type RequestMeta } from '../../../platform/http/request-meta.ts';
import { cancelJob } from '../../../platform/jobs/index.ts';
import { assertValid } from '../../../platform/validate.ts';
import { canManageHarvesting } from '../catalog.policy.ts';
import { findDepartmentScope } from '../dataset.repository.ts';
import { queueRun } from './harvest.jobs.ts';
import { toRunDto, toSourceDto } from './harvest.presenter.ts';
import {
  cancelOpenRuns,
  datasetCounts,
  findRun,
  findRunByJob,
  findSource,
  insertSource,
  latestRuns,
  listRunViews,
  listSourceViews,
  type SourceView,
  updateSourceRow,
} from './harvest.repository.ts';

// Registering and managing harvest sources, asking for runs and reading their logs. Platform
// admins only: a source brings another catalog's datasets into a department's catalog.

const sourceNotFound = () => notFound('catalog.harvest_source_not_found', 'Harvest source');
const runNotFound = () => notFound('catalog.harvest_run_not_found', 'Harvest run');
const allowed = (actor: Actor) => authorize(actor, canManageHarvesting);

function assertHttpUrl(url: string): void {
  let ok = false;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {}
  if (!ok)
    throw invalid('catalog.harvest_invalid_url', 'The source address must be an http or https URL', {
      fields: [{ path: '/url', message: 'Not an http or https URL' }],
    });
}

async function assertDepartment(db: Db, id: string): Promise<void> {
  const dept = await findDepartmentScope(db, id);
  if (!dept?.active)
    throw invalid('catalog.invalid_department', 'The owning department does not exist', {
      fields: [{ path: '/departmentId', message: 'No such active department' }],
    });
}

/** Scheduled sources are due at once, then by their schedule; manual ones never. */
const firstRunAt = (schedule: string) => (schedule === 'manual' ? null : sql<Date>`now()`);

async function sourceDto(db: Db, view: SourceView): Promise<HarvestSourceDto> {
  const [counts, runs] = await Promise.all([datasetCounts(db, [view.id]), latestRuns(db, [view.id])]);
  return toSourceDto(view, counts.get(view.id) ?? 0, runs.get(view.id));
}

async function loadSource(db: Db, id: string): Promise<SourceView> {
  const view = await findSource(db, { id });
  if (!view) throw sourceNotFound();
  return view;
}

/** Every source with its latest run. */
export async function listSources(ctx: AppContext, actor: Actor): Promise<HarvestSourceDto[]> {
  allowed(actor);
  const views = await listSourceViews(ctx.db);
  const ids = views.map((v) => v.id);
  const [counts, runs] = await Promise.all([datasetCounts(ctx.db, ids), latestRuns(ctx.db, ids)]);
  return views.map((v) => toSourceDto(v, counts.get(v.id) ?? 0, runs.get(v.id)));
}

/** One source by id, or by name (the CLI). */
export async function getSource(
  ctx: AppContext,
  actor: Actor,
  by: { id: string } | { name: string },
): Promise<HarvestSourceDto> {
  allowed(actor);
  const view = await findSource(ctx.db, by);
  if (!view) throw sourceNotFound();
  return sourceDto(ctx.db, view);
}

/** Registers a remote catalog to harvest into a department's catalog. */
export async function createSource(
  ctx: AppContext,
  actor: Actor,
  input: CreateHarvestSourceInput,
  meta?: RequestMeta,
): Promise<HarvestSourceDto> {
  allowed(actor);
  assertValid(CreateHarvestSourceBody, input);
  assertHttpUrl(input.url);
  await assertDepartment(ctx.db, input.departmentId);
  const id = randomUUID();
  const schedule = input.schedule ?? 'manual';
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await insertSource(trx, {
        id,
        name: input.name,
        title: input.title.trim(),
        kind: input.kind,
        url: input.url.trim(),
        department_id: input.departmentId,
        schedule,
        limits: JSON.stringify(input.limits ?? {}),
        next_run_at: firstRunAt(schedule),
        created_by: actor.username,
      });
      await auditAction(trx, actor, meta, {
        action: 'catalog.harvest_source.create',
        target: { type: 'harvest_source', id },
        departmentId: input.departmentId,
        details: { name: input.name, kind: input.kind, url: input.url, schedule, limits: input.limits ?? {} },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err, 'catalog_harvest_sources_name_key'))
      throw conflict('catalog.harvest_source_name_taken', 'A harvest source with that name exists', {
        fields: [{ path: '/name', message: 'That name is already in use' }],
      });
    throw err;
  }
  return sourceDto(ctx.db, await loadSource(ctx.db, id));
}

/** Changes a source; `active: true` reactivates a deactivated one. */
export async function updateSource(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: UpdateHarvestSourceInput,
  meta?: RequestMeta,
): Promise<HarvestSourceDto> {
  allowed(actor);
  assertValid(UpdateHarvestSourceBody, input);
  if (input.url !== undefined) assertHttpUrl(input.url);
  if (input.departmentId !== undefined) await assertDepartment(ctx.db, input.departmentId);
  const before = await loadSource(ctx.db, id);
  const schedule = input.schedule ?? before.schedule;
  const active = input.active ?? before.active;
  const scheduleStarts = schedule !== 'manual' && active && (before.schedule === 'manual' || !before.active);
  await ctx.db.transaction().execute(async (trx) => {
    await updateSourceRow(trx, id, {
      ...(input.title !== undefined ? { title: input.title.trim() } : {}),
      ...(input.kind !== undefined ? { kind: input.kind } : {}),
      ...(input.url !== undefined ? { url: input.url.trim() } : {}),
      ...(input.departmentId !== undefined ? { department_id: input.departmentId } : {}),
      ...(input.limits !== undefined
        ? { limits: JSON.stringify({ ...before.limits, ...input.limits }) }
        : {}),
      schedule,
      active,
      next_run_at: schedule === 'manual' || !active ? null : scheduleStarts ? sql`now()` : before.next_run_at,
    });
    await auditAction(trx, actor, meta, {
      action: 'catalog.harvest_source.update',
      target: { type: 'harvest_source', id },
      departmentId: input.departmentId ?? before.department_id,
      details: { name: before.name, fields: Object.keys(input), ...input },
    });
  });
  return sourceDto(ctx.db, await loadSource(ctx.db, id));
}

/** Deactivates a source (its runs and datasets stay); a queued or running run is cancelled. */
export async function deactivateSource(ctx: AppContext, actor: Actor, id: string, meta?: RequestMeta) {
  allowed(actor);
  const before = await loadSource(ctx.db, id);
  const jobs = await ctx.db.transaction().execute(async (trx) => {
    await updateSourceRow(trx, id, { active: false, next_run_at: null });
    const cancelled = await cancelOpenRuns(trx, id);
    for (const jobId of cancelled) await cancelJob(trx, jobId, 'the harvest source was deactivated');
    await auditAction(trx, actor, meta, {
      action: 'catalog.harvest_source.deactivate',
      target: { type: 'harvest_source', id },
      departmentId: before.department_id,
      details: { name: before.name, cancelledJobs: cancelled },
    });
    return cancelled;
  });
  return { cancelledJobs: jobs };
}

/** Queues a run now ("run now"); returns the queued run, or the one already queued or running. */
export async function requestRun(
  ctx: AppContext,
  actor: Actor,
  id: string,
  meta?: RequestMeta,
): Promise<HarvestRunRequestedDto> {
  allowed(actor);
  const source = await loadSource(ctx.db, id);
  if (!source.active)
    throw new AppError('catalog.harvest_source_inactive', 409, 'The harvest source is deactivated');
  const queued = await ctx.db.transaction().execute((trx) => queueRun(trx, source, 'manual', actor, meta));
  const run = queued.created ? await findRun(ctx.db, queued.runId) : await findRunByJob(ctx.db, queued.jobId);
  if (!run) throw new Error(`no run recorded for job ${queued.jobId}`);
  return { run: toRunDto(run), jobId: queued.jobId, created: queued.created };
}

/** A source's runs, newest first. */
export async function listRuns(
  ctx: AppContext,
  actor: Actor,
  sourceId: string,
  limit = 50,
): Promise<HarvestRunDto[]> {
  allowed(actor);
  await loadSource(ctx.db, sourceId);
  return (await listRunViews(ctx.db, sourceId, limit)).map(toRunDto);
}

/** One run's log. */
export async function getRun(ctx: AppContext, actor: Actor, id: string): Promise<HarvestRunDto> {
  allowed(actor);
  const run = await findRun(ctx.db, id);
  if (!run) throw runNotFound();
  return toRunDto(run);
}
