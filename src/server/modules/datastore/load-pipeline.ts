import fs from 'node:fs';
import { sql } from 'kysely';
import type { DictionaryColumn, LoadOptions, LoadReport } from '../../../contracts/datastore.ts';
import { type Actor, systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { findDistributionScope } from '../catalog/index.ts';
import { adoptTypedTable, type BuildPlan, buildVersionTable, type IncomingColumn } from './build-version.ts';
import {
  amendLoadReport,
  findLoad,
  type LoadRow,
  lockTable,
  maxVersion,
  setLoadState,
} from './datastore.repository.ts';
import { dictionaryColumn, findColumn } from './dictionary.ts';
import { FULL_INFERENCE_ROWS, type Inference, inferColumns } from './infer.ts';
import { progressWriter } from './load-progress.ts';
import { publishVersion, summarize, withFileRows } from './publish-version.ts';
import { refreshQuality } from './quality/quality.service.ts';
import { dropStaging, fillStaging, sniffSource } from './staging.ts';
import { loadTyped } from './typed-load/index.ts';
import { DEFAULT_NULL_TOKENS, jitOff } from './types/index.ts';

// A load from start to end: file → staging table → types inferred over every row → typed version
// table → made current, all of the last two in one transaction. Whatever fails, the previous version
// stays current and untouched, the staging table is dropped, and the load records why.

/** Where a load's file is: a stored distribution file, or a path on this machine (the CLI). */
export type LoadSource =
  | { kind: 'stored'; storageKey: string; name: string; checksum: string | null; sizeBytes: number }
  | { kind: 'file'; path: string; name: string; checksum: string | null; sizeBytes: number };

export interface LoadRunOptions {
  signal: AbortSignal;
  /** Versions kept per distribution. */
  keepVersions: number;
  /** 1 for the first attempt; a later one follows a process that stopped mid-load. */
  attempt?: number;
  onProgress?: (progress: Record<string, unknown>) => void;
}

export type LoadOutcome =
  | { status: 'succeeded'; version: number; report: LoadReport }
  | { status: 'failed' | 'cancelled' | 'skipped' };

/** Runs the load `loadId` (queued or being retried); never throws for a bad file, only for infrastructure failures. */
export async function executeLoad(
  ctx: AppContext,
  loadId: string,
  options: LoadRunOptions,
): Promise<LoadOutcome> {
  const load = await findLoad(ctx.db, loadId);
  if (!load || (load.status !== 'queued' && load.status !== 'running')) return { status: 'skipped' };
  const source = load.source as unknown as LoadSource;
  const started = Date.now();
  const timings: Record<string, number> = {};
  let stageStart = started;
  const lap = (name: string) => {
    const now = Date.now();
    timings[name] = now - stageStart;
    stageStart = now;
  };
  const progress = progressWriter(ctx, loadId, source.sizeBytes, options.onProgress);
  // Between steps, a cancel is heard at once, not at the worker's next heartbeat.
  const stopIfCancelled = async () => {
    options.signal.throwIfAborted();
    if ((await findLoad(ctx.db, loadId))?.status === 'cancelled') throw new LoadStopped();
  };
  await setLoadState(ctx.db, loadId, { status: 'running', progress: progress.snapshot('reading') });
  try {
    const scope = await findDistributionScope(ctx.db, load.distribution_id);
    if (!scope)
      throw new AppError('datastore.distribution_not_found', 404, 'The distribution no longer exists');
    const file = source.kind === 'stored' ? ctx.files.pathOf(source.storageKey) : source.path;
    if (!fs.existsSync(file))
      throw new AppError('datastore.file_missing', 422, `The file ${source.name} is gone`);
    const loadOptions = load.options as LoadOptions;
    const nullTokens = loadOptions.nullTokens ?? DEFAULT_NULL_TOKENS;

    const stagingOptions = {
      fileName: source.name,
      sheet: loadOptions.sheet,
      encoding: loadOptions.encoding,
      delimiter: loadOptions.delimiter,
      signal: options.signal,
      onProgress: (p: { bytes: number; rows: number }) => progress.update('reading', p),
    };
    const sniffed = await sniffSource(file, stagingOptions);
    // A replace from a UTF-8 delimited file on PostgreSQL is read and typed by Civitas and sent as
    // typed rows (typed-load/); a file that path does not read as COPY would goes the staging way.
    const typed =
      ctx.engine === 'postgres' && load.mode === 'replace' && ctx.config.datastoreTypedLoad
        ? await loadTyped(ctx, loadId, file, sniffed, nullTokens, {
            signal: options.signal,
            onProgress: (bytes, rows) => progress.update('reading', { bytes, rows }),
          })
        : undefined;
    if (typed) {
      Object.assign(timings, typed.timings);
      if (!typed.ok) lap('typed_refused');
    }
    const staged = typed?.ok ? typed.staged : await fillStaging(ctx, loadId, file, stagingOptions, sniffed);
    lap('read');
    if (staged.rowsRead === 0) {
      throw new AppError(
        'datastore.no_rows',
        422,
        'The file has a header but no data rows: nothing was loaded',
        {
          columns: staged.labels.length,
        },
      );
    }
    progress.update('inferring', {});
    await stopIfCancelled();
    // Large files: types from a sample, proven on every row by a build whose casts raise on a misfit;
    // if one does, the types come from every value instead and the build uses casts that never fail.
    const inferStaged = (rows: number) =>
      inferColumns(
        ctx.db,
        loadId,
        staged.labels,
        nullTokens,
        rows > FULL_INFERENCE_ROWS ? rows : undefined,
        staged.fileRow,
      );
    const sampled = !typed?.ok && staged.rowsRead > FULL_INFERENCE_ROWS;
    let inferred = typed?.ok ? typed.inference : await inferStaged(staged.rowsRead);
    lap('infer');
    await stopIfCancelled();
    progress.update('building', {});
    const typedTable = typed?.ok === true;
    const actor = await loadActor(load);
    const build = (inference: Inference, casts: 'guarded' | 'verified', how: 'full' | 'sample') =>
      ctx.db.transaction().execute(async (trx) => {
        await jitOff().execute(trx);
        // 2023/5/21 is year-first whatever the server's DateStyle says.
        await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
        const table = await lockTable(trx, load.distribution_id, scope.datasetId);
        const previousColumns = table.columns as DictionaryColumn[];
        const previous =
          table.current_version !== null
            ? { version: table.current_version, columns: previousColumns }
            : null;
        const incoming: IncomingColumn[] = inference.columns.map((c) => ({
          id: c.id,
          label: c.label,
          type: c.type,
          staging: c.staging,
        }));
        const key = resolveKey(load, incoming, previousColumns, table.key_columns);
        const mode = previous ? load.mode : 'replace';
        const version = (await maxVersion(trx, load.distribution_id)) + 1;
        const plan: BuildPlan = {
          distributionId: load.distribution_id,
          loadId,
          version,
          mode,
          incoming,
          previous,
          key,
          indexed: previousColumns.filter((c) => c.indexed).map((c) => c.id),
          nullTokens,
          casts,
          fileRow: staged.fileRow,
        };
        // The typed table's counts are pass one's: every row was read and every value classified.
        const result = typedTable
          ? await adoptTypedTable(trx, plan, {
              rows: staged.rowsRead,
              nonNull: Object.fromEntries(inference.report.map((c) => [c.id, c.nonNull])),
            })
          : await buildVersionTable(trx, plan);
        lap('build');
        const shared = previous
          ? result.columns.filter((c) => previous.columns.some((p) => p.id === c.id)).map((c) => c.id)
          : [];
        const summary =
          previous && shared.length
            ? await withFileRows(
                trx,
                await summarize(trx, load.distribution_id, previous.version, version, shared, key),
                {
                  mode,
                  distributionId: load.distribution_id,
                  previous: previous.version,
                  fileRow: staged.fileRow,
                },
              )
            : null;
        lap('compare');
        const columns = result.columns.map((c) =>
          dictionaryColumn(c.id, c.label, c.type, findColumn(previousColumns, c.id)),
        );
        await publishVersion(trx, {
          distributionId: load.distribution_id,
          datasetId: scope.datasetId,
          departmentId: scope.departmentId,
          loadId,
          version,
          mode: load.mode,
          rows: result.rows,
          columns,
          key,
          checksum: source.checksum,
          sourceName: source.name,
          summary,
          keep: options.keepVersions,
          actor,
        });
        lap('publish');
        // A sample's counts are not the file's: take them from the table just built.
        const columnsReport =
          how === 'sample' && load.mode === 'replace'
            ? inference.report.map((c) => {
                const nonNull = result.nonNull[c.id] ?? c.nonNull;
                return { ...c, nonNull, nulls: staged.rowsRead - nonNull };
              })
            : inference.report;
        const report = loadReport(
          staged,
          inference,
          how,
          columnsReport,
          result.rows,
          summary,
          options.attempt,
          {
            ...timings,
            total: Date.now() - started,
          },
        );
        // The load is marked done in the transaction that publishes its version, under the load
        // row's lock: a cancel that came first (it reaches the worker only at its next heartbeat)
        // makes this roll back, leaving the previous version current; one that comes later finds
        // the load succeeded and is refused.
        const finished = await setLoadState(trx, loadId, {
          status: 'succeeded',
          version,
          report,
          progress: progress.snapshot('done', 100),
        });
        if (!finished) throw new LoadStopped();
        return { version, report };
      });
    let built: Awaited<ReturnType<typeof build>>;
    try {
      built = await build(inferred, sampled ? 'verified' : 'guarded', sampled ? 'sample' : 'full');
    } catch (err) {
      if (!sampled || !isDataException(err)) throw err;
      lap('build_refused');
      progress.update('inferring', {});
      inferred = await inferColumns(ctx.db, loadId, staged.labels, nullTokens, undefined, staged.fileRow);
      lap('infer_all');
      built = await build(inferred, 'guarded', 'full');
    }
    try {
      // From every value, the load's decisions spare the profile classifying a sample of text
      // columns; the typed load's extremes spare it reading the table for min, max and lengths.
      await refreshQuality(
        ctx,
        load.distribution_id,
        built.report.inference === 'full'
          ? {
              version: built.version,
              columns: built.report.columns,
              ...(typed?.ok ? { rows: staged.rowsRead, extremes: typed.extremes } : {}),
            }
          : undefined,
      );
    } catch {
      // Quality is a by-product: its failure is stored with the table (quality.error), never the load's.
    }
    lap('quality');
    const report: LoadReport = { ...built.report, timings: { ...timings, total: Date.now() - started } };
    await progress.flush();
    // The load is done either way: only the timings would be missing the quality step.
    await amendLoadReport(ctx.db, loadId, report).catch(() => {});
    return { status: 'succeeded', version: built.version, report };
  } catch (err) {
    await progress.flush();
    // Cancelled while building: the load row already says so, and nothing was published.
    if (err instanceof LoadStopped) return { status: 'cancelled' };
    if (options.signal.aborted) {
      await setLoadState(ctx.db, loadId, {
        status: 'cancelled',
        error: { code: 'datastore.load_cancelled', message: 'The load was stopped' },
      });
      if ((options.signal.reason as { why?: string } | undefined)?.why === 'cancelled')
        return { status: 'cancelled' };
      throw err;
    }
    // A bad file is the steward's to fix; anything else is recorded too (retrying the same file and
    // SQL would fail the same way) — only a node dying mid-load makes the queue run it again.
    const error =
      err instanceof AppError
        ? { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) }
        : {
            code: 'datastore.load_failed',
            message: 'The load failed because of an internal error; the previous version is unchanged',
            details: { reason: (err as Error).message },
          };
    await setLoadState(ctx.db, loadId, { status: 'failed', error });
    return { status: 'failed' };
  } finally {
    await dropStaging(ctx.db, loadId).catch(() => {});
  }
}

/** Size and modification time of a file, to tell whether it changed between two reads. */

/** The load was cancelled while it was being built: its version was not published. */
class LoadStopped extends Error {}

type Staged = Awaited<ReturnType<typeof fillStaging>>;

/** The report of a load: what was read, how each column was typed, what the version holds. */
function loadReport(
  staged: Staged,
  inferred: Inference,
  inference: 'full' | 'sample',
  columnsReport: LoadReport['columns'],
  rows: number,
  summary: LoadReport['summary'] | null,
  attempt: number | undefined,
  timings: Record<string, number>,
): LoadReport {
  return {
    format: staged.format,
    ...(staged.encoding ? { encoding: staged.encoding } : {}),
    ...(staged.delimiter ? { delimiter: staged.delimiter } : {}),
    ...(staged.sheet ? { sheet: staged.sheet } : {}),
    ...(staged.sheets ? { sheets: staged.sheets } : {}),
    titleRows: staged.titleRows,
    ...(staged.headerRow !== undefined ? { headerRow: staged.headerRow } : {}),
    path: staged.path,
    rowsRead: staged.rowsRead,
    rows,
    bytes: staged.bytes,
    columns: columnsReport,
    inference,
    droppedColumns: inferred.dropped,
    issues: [...restarted(attempt), ...staged.issues].slice(0, 100),
    issueCount: staged.issueCount + restarted(attempt).length,
    ...(summary ? { summary } : {}),
    timings,
  };
}

/** PostgreSQL's data exceptions (SQLSTATE class 22): a value a verified cast refused. */
const isDataException = (err: unknown) => String((err as { code?: unknown }).code ?? '').startsWith('22');

/** A note for the report when an earlier attempt was cut off (the process stopped mid-load). */
const restarted = (attempt = 1) =>
  attempt > 1
    ? [
        {
          kind: 'restarted',
          message: `The load was interrupted (the process running it stopped) and started again from the file (attempt ${attempt}); the previous version stayed current meanwhile`,
        },
      ]
    : [];

/** The key column ids of the load: named by id or original label; an upsert needs them to exist. */
function resolveKey(
  load: LoadRow,
  incoming: IncomingColumn[],
  previous: DictionaryColumn[],
  tableKey: string[],
): string[] {
  const known = [...incoming.map((c) => ({ id: c.id, label: c.label })), ...previous];
  // Without a key of its own, a load keeps the table's (when the file still has those columns).
  const inherited = tableKey.every((k) => incoming.some((c) => c.id === k)) ? tableKey : [];
  const wanted = load.key_columns.length ? load.key_columns : inherited;
  const ids: string[] = [];
  for (const name of wanted) {
    const found = known.find((c) => c.id === name) ?? known.find((c) => c.label === name);
    if (!found) {
      throw new AppError('datastore.key_not_found', 422, `The key column "${name}" is not in the file`, {
        key: name,
        columns: incoming.map((c) => c.id),
      });
    }
    if (!ids.includes(found.id)) ids.push(found.id);
  }
  return ids;
}

/** Who the version is attributed to: the person who asked for the load. */
async function loadActor(load: LoadRow): Promise<Actor> {
  const actor = systemActor(load.requested_by);
  return { ...actor, personId: load.requested_by_id ?? '' };
}
