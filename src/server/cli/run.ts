import path from 'node:path';
import { CommanderError } from 'commander';
import { BackupError, completeInterruptedRestore } from '../platform/backup.ts';
import { ConfigError, processEnvironment } from '../platform/config.ts';
import { DatabaseUnavailableError } from '../platform/db.ts';
import { DataDirLockedError } from '../platform/db-lock.ts';
import { AppError } from '../platform/errors.ts';
import { CliError, type Io } from './cli-error.ts';
import { buildProgram, type CliState } from './program.ts';

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Runs the CLI. Exit codes: 0 done; 1 failed (a broken audit log, a refused backup, an unexpected
 * error); 2 cannot run as configured (bad flags or settings, database held by a running server).
 */
export async function runCli(
  argv: string[],
  io: Io = processIo,
  env: Record<string, string | undefined> = processEnvironment(),
): Promise<number | 'serving'> {
  const state: CliState = { exitCode: 0, serving: false };
  const program = buildProgram(io, state, env);
  program.hook('preAction', (_root, action) => {
    const dataDir =
      action.optsWithGlobals<{ dataDir?: string }>().dataDir ?? env.CIVITAS_DATA_DIR ?? './data';
    const note = completeInterruptedRestore(path.resolve(dataDir));
    if (note) io.err(`Note: ${note}.`);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.serving ? 'serving' : state.exitCode;
  } catch (err) {
    return report(err, io, argv.includes('--verbose'));
  }
}

function report(err: unknown, io: Io, verbose: boolean): number {
  if (err instanceof CommanderError) {
    // Commander has already printed the message or the help.
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2;
  }
  if (err instanceof ConfigError) {
    io.err('civitas: the configuration has problems:');
    for (const p of err.problems) io.err(`  - ${p}`);
    return 2;
  }
  if (err instanceof DataDirLockedError) {
    const { pid, port, command } = err.owner;
    io.err(
      `civitas: Civitas ${command === 'start' ? 'server' : `"${command}"`} is running (process ${pid}` +
        `${port ? `, port ${port}` : ''}) and holds the embedded database; stop it first, then run this command again.`,
    );
    io.err(`  ${err.message}`);
    return 2;
  }
  if (err instanceof CliError) {
    io.err(`civitas: ${err.message}`);
    return err.exitCode;
  }
  if (err instanceof BackupError || err instanceof DatabaseUnavailableError || err instanceof AppError) {
    io.err(`civitas: ${err.message}`);
    return 1;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.err(`civitas: unexpected error: ${e.message.split('\n')[0]}`);
  if (verbose) io.err(e.stack ?? '');
  else io.err('(run again with --verbose for details)');
  return 1;
}
