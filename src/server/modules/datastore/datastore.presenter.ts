import type {
  DictionaryColumn,
  LoadDto,
  LoadProgress,
  LoadReport,
  VersionDto,
} from '../../../contracts/datastore.ts';
import type { LoadRow } from './datastore.repository.ts';

// API shapes of loads and versions.

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function toLoadDto(row: LoadRow): LoadDto {
  const progress = row.progress as Partial<LoadProgress>;
  const source = row.source as { name?: string; sizeBytes?: number };
  return {
    id: row.id,
    distributionId: row.distribution_id,
    status: row.status,
    mode: row.mode,
    key: row.key_columns,
    sourceName: source.name ?? '',
    progress: {
      stage: progress.stage ?? row.status,
      rows: progress.rows ?? 0,
      bytes: progress.bytes ?? 0,
      totalBytes: progress.totalBytes ?? source.sizeBytes ?? 0,
      percent: row.status === 'succeeded' ? 100 : (progress.percent ?? 0),
    },
    report: (row.report as LoadReport | null) ?? null,
    error: (row.error as LoadDto['error']) ?? null,
    version: row.version,
    requestedBy: row.requested_by,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

export function toVersionDto(row: {
  version: number;
  mode: string;
  row_count: number;
  checksum: string | null;
  source_name: string | null;
  summary: Record<string, unknown>;
  kept: boolean;
  actor_label: string;
  created_at: Date;
}): VersionDto {
  return {
    version: row.version,
    mode: row.mode,
    rows: Number(row.row_count),
    checksum: row.checksum,
    sourceName: row.source_name,
    summary: row.summary,
    kept: row.kept,
    actor: row.actor_label,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export const dictionaryOf = (columns: unknown) => columns as DictionaryColumn[];
