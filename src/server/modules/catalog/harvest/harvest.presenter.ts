import type { HarvestError, HarvestRunDto, HarvestSourceDto } from '../../../../contracts/harvest.ts';
import type { RunView, SourceView } from './harvest.repository.ts';
import { limitsOf, zeroCounts } from './harvest-run.ts';

// Stored harvest rows → their API shapes.

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** A run as its log. */
export function toRunDto(r: RunView): HarvestRunDto {
  const timings = r.timings ?? {};
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    status: r.status,
    trigger: r.trigger,
    requestedBy: r.requested_by,
    jobId: r.job_id,
    queuedAt: iso(r.queued_at) as string,
    startedAt: r.status === 'queued' ? null : iso(r.started_at),
    finishedAt: iso(r.finished_at),
    counts: { ...zeroCounts(), ...(r.counts ?? {}) },
    errors: ((r.errors ?? []) as HarvestError[]).map((e) => ({
      stage: e.stage ?? 'import',
      ...(e.remoteId ? { remoteId: e.remoteId } : {}),
      message: e.message,
    })),
    timings: {
      gatherMs: timings.gatherMs ?? 0,
      importMs: timings.importMs ?? 0,
      totalMs: timings.totalMs ?? 0,
    },
  };
}

/** A source with its limits filled in, its dataset count and its latest run. */
export function toSourceDto(
  s: SourceView,
  datasetCount: number,
  lastRun: RunView | undefined,
): HarvestSourceDto {
  return {
    id: s.id,
    name: s.name,
    title: s.title,
    kind: s.kind,
    url: s.url,
    department: {
      id: s.department_id,
      code: s.department_code,
      nameZh: s.department_name_zh,
      nameEn: s.department_name_en,
    },
    schedule: s.schedule,
    limits: limitsOf(s.limits),
    active: s.active,
    nextRunAt: iso(s.next_run_at),
    createdAt: iso(s.created_at) as string,
    updatedAt: iso(s.updated_at) as string,
    datasetCount,
    lastRun: lastRun ? toRunDto(lastRun) : null,
  };
}
