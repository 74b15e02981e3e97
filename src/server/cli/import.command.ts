import fs from 'node:fs';
import path from 'node:path';
import type { LoadDto, LoadMode, LoadOptions } from '../../contracts/datastore.ts';
import { type ImportOutcome, importHere } from '../modules/datastore/index.ts';
// A version published here tells the exchange's webhook subscribers, as one published by the server does.
import '../modules/exchange/index.ts';
import type { Config } from '../platform/config.ts';
import { lockOwner } from '../platform/db-lock.ts';
import { AppError } from '../platform/errors.ts';
import { LOCAL_KEY_HEADER, type LocalHandoff, readLocalHandoff } from '../platform/local-handoff.ts';
import { CliError, type Io } from './cli-error.ts';
import { withContext } from './with-context.ts';

// `civitas import <file> --dataset <name>`: a file from this machine into a resource's DataStore
// table, with progress on stderr and the load report on stdout.

export interface ImportFlags {
  dataset: string;
  resource?: string;
  mode?: LoadMode;
  key?: string;
  sheet?: string;
  encoding?: LoadOptions['encoding'];
  delimiter?: string;
}

export async function importCommand(
  config: Config,
  io: Io,
  file: string,
  flags: ImportFlags,
): Promise<number> {
  if (!fs.existsSync(file)) throw new CliError(`No such file: ${file}`, 2);
  const options: LoadOptions = {
    ...(flags.mode ? { mode: flags.mode } : {}),
    ...(flags.key
      ? {
          key: flags.key
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean),
        }
      : {}),
    ...(flags.sheet ? { sheet: flags.sheet } : {}),
    ...(flags.encoding ? { encoding: flags.encoding } : {}),
    ...(flags.delimiter ? { delimiter: flags.delimiter } : {}),
  };
  if (options.mode === 'upsert' && !options.key?.length)
    throw new CliError('An upsert needs --key <column>', 2);
  // The embedded database belongs to the running server: hand it the file instead.
  const handoff =
    !config.databaseUrl && lockOwner(config.dataDir) ? readLocalHandoff(config.dataDir) : undefined;
  if (handoff) return importThroughServer(handoff, io, path.resolve(file), flags, options);
  return withContext(config, 'import', async (ctx) => {
    const outcome = await importHere(ctx, {
      file,
      dataset: flags.dataset,
      resource: flags.resource,
      options,
      onProgress: progressPrinter(io),
    }).catch((err) => {
      if (err instanceof AppError) throw new CliError(err.message);
      throw err;
    });
    return printOutcome(io, outcome);
  });
}

/** Prints each new progress line once. */
function progressPrinter(io: Io) {
  let lastLine = '';
  return (p: Record<string, unknown>) => {
    const line = `  ${p.stage} ${p.percent ?? 0}%${p.rows ? `, ${Number(p.rows).toLocaleString('en-US')} rows` : ''}`;
    if (line !== lastLine) io.err(line);
    lastLine = line;
  };
}

/** Hands the file to the server that holds the embedded database, and follows its load. */
async function importThroughServer(
  handoff: LocalHandoff,
  io: Io,
  file: string,
  flags: ImportFlags,
  options: LoadOptions,
): Promise<number> {
  io.err(`The server (pid ${handoff.pid}) holds the embedded database: handing the file to it.`);
  const headers = { 'content-type': 'application/json', [LOCAL_KEY_HEADER]: handoff.key };
  const call = async (method: string, url: string, body?: unknown) => {
    let res: Response;
    try {
      res = await fetch(`${handoff.url}${url}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new CliError(`Cannot reach the running server at ${handoff.url}: ${(err as Error).message}`);
    }
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new CliError((json.error as { message?: string })?.message ?? `HTTP ${res.status}`);
    return json;
  };
  const started = await call('POST', '/api/local/datastore/import', {
    path: file,
    dataset: flags.dataset,
    ...(flags.resource ? { resource: flags.resource } : {}),
    options,
  });
  const loadId = started.loadId as string;
  const onProgress = progressPrinter(io);
  for (;;) {
    const load = (await call('GET', `/api/local/datastore/loads/${loadId}`)) as unknown as LoadDto;
    if (load.status !== 'queued' && load.status !== 'running') {
      return printOutcome(io, {
        loadId,
        distributionId: started.distributionId as string,
        status: load.status,
        version: load.version,
        report: load.report,
        error: load.error,
      });
    }
    onProgress(load.progress);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The load report on stdout; exit code 0 when the load succeeded. */
function printOutcome(io: Io, outcome: ImportOutcome): number {
  {
    if (outcome.status !== 'succeeded' || !outcome.report) {
      io.out(
        `Load ${outcome.loadId} ${outcome.status}: ${outcome.error?.message ?? 'no report'} (${outcome.error?.code ?? ''})`,
      );
      io.out('The previous version of the table is unchanged.');
      return 1;
    }
    const r = outcome.report;
    io.out(
      `Loaded ${r.rows.toLocaleString('en-US')} rows into resource ${outcome.distributionId} as version ${outcome.version} ` +
        `(${r.format}${r.encoding ? `, ${r.encoding}` : ''}${r.delimiter ? `, delimiter ${JSON.stringify(r.delimiter)}` : ''}, ` +
        `${((r.timings.total ?? 0) / 1000).toFixed(1)} s, ${r.path === 'copy' ? 'parsed by PostgreSQL COPY' : 'parsed by Civitas'})`,
    );
    for (const c of r.columns) {
      const odd = c.disagreeing
        ? ` — ${c.disagreeing} value(s) not ${c.candidate}, e.g. row ${c.examples[0]?.row}: ${JSON.stringify(c.examples[0]?.value)}`
        : '';
      io.out(`  ${c.id}\t${c.type}\t${c.nonNull} values, ${c.nulls} empty${odd}`);
    }
    if (r.droppedColumns.length) io.out(`  dropped empty unlabelled columns: ${r.droppedColumns.join(', ')}`);
    for (const issue of r.issues.slice(0, 20))
      io.out(`  note: ${issue.row ? `row ${issue.row}: ` : ''}${issue.message}`);
    if (r.issueCount > 20) io.out(`  … ${r.issueCount - 20} more notes`);
    if (r.summary) {
      io.out(
        `  against the previous version: ${r.summary.added} added, ${r.summary.removed} removed, ${r.summary.changed} changed`,
      );
      for (const t of r.summary.typeChanges ?? []) {
        const e = t.examples[0];
        io.out(
          `  column ${t.column} widened from ${t.from} to ${t.to}: ${t.count} value(s) did not fit${e ? `, e.g. row ${e.id}: ${JSON.stringify(e.value)}` : ''}`,
        );
      }
    }
    return 0;
  }
}
