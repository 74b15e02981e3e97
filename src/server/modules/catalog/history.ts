import type { VersionDto } from '../../../contracts/catalog.ts';
import type { DatasetFields } from './catalog-rules.ts';
import type { VersionRow } from './version.repository.ts';

/** What a version keeps: the editable fields, the status and the distributions, as they were. */
export type Snapshot = DatasetFields & {
  status: string;
  distributions: { id: string; name: string; format: string; url: string | null; checksum: string | null }[];
};

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Field-level differences between two snapshots, in a stable field order. */
export function diffSnapshots(
  before: Partial<Snapshot> | undefined,
  after: Partial<Snapshot>,
): VersionDto['diff'] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const diff: VersionDto['diff'] = [];
  for (const field of [...fields].sort()) {
    const b = (before as Record<string, unknown> | undefined)?.[field];
    const a = (after as Record<string, unknown>)[field];
    if (!same(b, a)) diff.push({ field, before: b ?? null, after: a ?? null });
  }
  return diff;
}

/** Versions (newest first) with each one's differences from the version before it. */
export function toVersionDtos(rows: readonly VersionRow[]): VersionDto[] {
  return rows.map((row, i) => {
    const previous = rows[i + 1];
    return {
      version: row.version,
      change: row.change,
      actorLabel: row.actor_label,
      at: row.at.toISOString(),
      note: row.note,
      // The first version has nothing to differ from: its change is "created".
      diff: previous ? diffSnapshots(previous.snapshot as Partial<Snapshot>, row.snapshot) : [],
    };
  });
}
