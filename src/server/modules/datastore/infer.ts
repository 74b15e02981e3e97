import { sql } from 'kysely';
import type { DatastoreType, LoadReport } from '../../../contracts/datastore.ts';
import type { Db } from '../../platform/db.ts';
import { stagingColumn, stagingColumns, stagingTable } from './table-names.ts';
import {
  decideColumnTypes,
  disagreementsQuery,
  inferenceQuery,
  jitOff,
  makeColumnIds,
} from './types/index.ts';

// Step two of a load: one aggregate pass over the staging table decides every column's type from
// all of its values; a column whose values disagree becomes text, and the report shows where.

/** Disagreeing values shown per column. */
export const EXAMPLES = 10;

export interface InferredColumn {
  id: string;
  label: string;
  type: DatastoreType;
  staging: string;
  /** The column's place in the file (0-based). */
  index: number;
}

export interface Inference {
  columns: InferredColumn[];
  report: LoadReport['columns'];
  /** Labels of columns left out: no header label and no value in any row (trailing delimiters). */
  dropped: string[];
}

/** Files up to this many rows are inferred from every value at once; larger ones from a sample first. */
export const FULL_INFERENCE_ROWS = 100_000;
const SAMPLE_HEAD = 10_000;
const SAMPLE_SPREAD = 20_000;

/**
 * The rows a sample inference reads: the first SAMPLE_HEAD and about SAMPLE_SPREAD more spread evenly
 * over the rest. The types it finds are then proven on every row by the verified build (or, when a
 * value does not fit, the load falls back to inferring from every value).
 */
export function sampleOf(loadId: string, rows: number) {
  const step = Math.max(1, Math.floor(rows / SAMPLE_SPREAD));
  return sql`(select * from ${stagingTable(loadId)} where _row <= ${sql.lit(SAMPLE_HEAD)} or _row % ${sql.lit(step)} = 0) as sample`;
}

/**
 * Infers the types of the staging table of load `loadId`, whose columns carry `labels`: from every
 * value, or — given `sampleRows` (the file's row count) — from a sample of them. Examples name their
 * row as `fileRow` maps staged rows (the file's own row numbers for delimited and XLSX files).
 */
export async function inferColumns(
  db: Db,
  loadId: string,
  labels: string[],
  nullTokens: readonly string[],
  sampleRows?: number,
  fileRow: (stagedRow: number) => number = (n) => n,
): Promise<Inference> {
  const staging = stagingColumns(labels.length);
  const source = sampleRows ? sampleOf(loadId, sampleRows) : stagingTable(loadId);
  // Without JIT, whatever the session says: compiling these wide expressions costs seconds.
  return db.transaction().execute(async (trx) => {
    await jitOff().execute(trx);
    const stats = await inferenceQuery(source, staging, nullTokens).execute(trx);
    return decideInference(labels, stats.rows, async (i, candidate) => {
      const rows = await disagreementsQuery(
        stagingTable(loadId),
        staging[i] as string,
        candidate,
        nullTokens,
        EXAMPLES,
      ).execute(trx);
      return (rows.rows as { _row: number | string; value: string }[]).map((r) => ({
        row: fileRow(Number(r._row)),
        value: r.value,
      }));
    });
  });
}

/** The first disagreeing values of file column `index` with `candidate`, as the report shows them. */
export type DisagreementExamples = (
  index: number,
  candidate: DatastoreType,
) => Promise<{ row: number; value: string }[]>;

/** Each column's type from the pass's counts, its id, and examples of its disagreeing values. */
export async function decideInference(
  labels: string[],
  stats: Parameters<typeof decideColumnTypes>[0],
  examplesOf: DisagreementExamples,
): Promise<Inference> {
  const decisions = decideColumnTypes(stats, labels);
  const keep = decisions
    .map((d, i) => ({ d, i }))
    .filter(({ d, i }) => !(labels[i]?.trim() === '' && d.nonNull === 0));
  const dropped = decisions.flatMap((d, i) =>
    labels[i]?.trim() === '' && d.nonNull === 0 ? [`#${i + 1}`] : [],
  );
  const ids = makeColumnIds(keep.map(({ i }) => labels[i] ?? ''));
  const columns: InferredColumn[] = [];
  const report: LoadReport['columns'] = [];
  for (const [n, { d, i }] of keep.entries()) {
    const id = ids[n] as string;
    const label = labels[i] ?? '';
    columns.push({ id, label, type: d.type, staging: stagingColumn(i), index: i });
    const examples = d.disagreeing > 0 && d.candidate ? await examplesOf(i, d.candidate) : [];
    report.push({
      id,
      label,
      type: d.type,
      candidate: d.candidate,
      ...(d.reason ? { reason: d.reason } : {}),
      nonNull: d.nonNull,
      nulls: d.nulls,
      disagreeing: d.disagreeing,
      examples,
    });
  }
  return { columns, report, dropped };
}
