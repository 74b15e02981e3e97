import fs from 'node:fs';
import type { LoadMode, LoadOptions } from '../../contracts/datastore.ts';
import { importHere } from '../modules/datastore/index.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { CliError, type Io, withContext } from './commands.ts';

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
  return withContext(config, 'import', async (ctx) => {
    let lastLine = '';
    const outcome = await importHere(ctx, {
      file,
      dataset: flags.dataset,
      resource: flags.resource,
      options,
      onProgress: (p) => {
        const line = `  ${p.stage} ${p.percent ?? 0}%${p.rows ? `, ${Number(p.rows).toLocaleString('en-US')} rows` : ''}`;
        if (line !== lastLine) io.err(line);
        lastLine = line;
      },
    }).catch((err) => {
      if (err instanceof AppError) throw new CliError(err.message);
      throw err;
    });
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
    if (r.summary)
      io.out(
        `  against the previous version: ${r.summary.added} added, ${r.summary.removed} removed, ${r.summary.changed} changed`,
      );
    return 0;
  });
}
