import { Command, InvalidArgumentError, Option } from 'commander';
import pkg from '../../../package.json' with { type: 'json' };
import { type Config, loadConfig } from '../platform/config.ts';
import type { Io } from './cli-error.ts';
import type { ImportFlags } from './import.command.ts';

// Each command's code is imported when the command runs: loading the whole server for every command
// cost about a second and a half of CPU per start, which on a loaded machine made a restore (which
// needs none of it) take tens of seconds.
const commands = () => import('./commands.ts');

/** What a run of the CLI ended with: an exit code, or a server that keeps the process alive. */
export interface CliState {
  exitCode: number;
  serving: boolean;
}

interface GlobalOptions {
  dataDir?: string;
  port?: string;
  host?: string;
  verbose?: boolean;
}

function positiveDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650)
    throw new InvalidArgumentError('must be a whole number of days, 1 to 3650');
  return n;
}

/** The `civitas` command line. Configuration comes from flags, then the environment (see platform/config.ts). */
export function buildProgram(io: Io, state: CliState, env: Record<string, string | undefined>): Command {
  const program = new Command('civitas');
  // Set before subcommands are added, which copy these settings.
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => io.out(s.replace(/\n$/, '')),
    writeErr: (s) => io.err(s.replace(/\n$/, '')),
  });
  program.showHelpAfterError('(run with --help for usage)');
  program
    .description('Civitas digital-government platform: server and maintenance commands')
    .option(
      '--data-dir <dir>',
      'data directory: embedded database, secrets, files (env CIVITAS_DATA_DIR; default ./data)',
    )
    .version(pkg.version, '-V, --version', 'print the Civitas version')
    .option('--verbose', 'print stack traces of unexpected errors')
    .addHelpText(
      'after',
      '\nThe database is the embedded one in the data directory unless DATABASE_URL names a PostgreSQL server.\n' +
        'Other settings come from the environment: see docs/operations.md.',
    );

  const config = (cmd: Command): Config => {
    const o = cmd.optsWithGlobals<GlobalOptions>();
    return loadConfig({ dataDir: o.dataDir, port: o.port, host: o.host }, env);
  };
  const done = (code: number) => {
    state.exitCode = code;
  };

  program
    .command('start')
    .description(
      'migrate the database and serve the API and web app (loads the demo city into an empty database)',
    )
    .option('--port <port>', 'port to listen on (env PORT; default 8080)')
    .option('--host <host>', 'address to listen on (env CIVITAS_HOST; default 0.0.0.0)')
    .action(async (_opts, cmd: Command) => {
      await (await import('../server.ts')).startServer(config(cmd), { handleSignals: true, print: io.out });
      state.serving = true;
    });

  program
    .command('migrate')
    .description('bring the database schema up to date and exit')
    .action(async (_opts, cmd: Command) => done(await (await commands()).migrateCommand(config(cmd), io)));

  program
    .command('demo')
    .description('load the demo city (idempotent) and print its sign-in accounts')
    .action(async (_opts, cmd: Command) => done(await (await commands()).demoCommand(config(cmd), io)));

  const audit = program.command('audit').description('audit log tools');
  audit
    .command('verify')
    .description(
      'check every entry of the hash chain and every signed checkpoint; exit 1 if the log was tampered with',
    )
    .option(
      '--public-key <pem-file>',
      'verify checkpoints with this Ed25519 public key instead of the local secrets',
    )
    .action(async (opts: { publicKey?: string }, cmd: Command) =>
      done(await (await commands()).auditVerifyCommand(config(cmd), io, opts)),
    );

  const exchange = program.command('exchange').description('data-sharing exchange tools');
  exchange
    .command('verify-log')
    .description("check every entry of the access log's hash chain; exit 1 if the log was tampered with")
    .action(async (_opts, cmd: Command) =>
      done(await (await import('./exchange.commands.ts')).exchangeVerifyLogCommand(config(cmd), io)),
    );

  const catalog = program.command('catalog').description('data catalog tools');
  catalog
    .command('reindex')
    .description('recompute the search index of every resource (after an upgrade that changes text analysis)')
    .action(async (_opts, cmd: Command) =>
      done(await (await commands()).catalogReindexCommand(config(cmd), io)),
    );

  const harvest = program
    .command('harvest')
    .description('catalog harvesting (sources are managed in the API)');
  harvest
    .command('list')
    .description('list the harvest sources with their latest run')
    .action(async (_opts, cmd: Command) =>
      done(await (await import('./harvest.commands.ts')).harvestListCommand(config(cmd), io)),
    );
  harvest
    .command('run')
    .description('harvest a source now, in this process, and print the run log (exit 1 unless it succeeded)')
    .argument('<source-name>', 'the name of the harvest source')
    .action(async (name: string, _opts, cmd: Command) =>
      done(await (await import('./harvest.commands.ts')).harvestRunCommand(config(cmd), io, name)),
    );

  program
    .command('import')
    .description(
      'load a file (CSV, TSV, XLSX, JSON, NDJSON, GeoJSON, Parquet) into the DataStore table of a resource, in this process',
    )
    .argument('<file>', 'the file to load')
    .requiredOption('--dataset <name>', 'the catalog resource (dataset) name')
    .option(
      '--resource <name>',
      'the distribution to load into (default: the file name; created when missing)',
    )
    .addOption(
      new Option('--mode <mode>', 'replace the rows, append to them, or upsert by --key').choices([
        'replace',
        'append',
        'upsert',
      ]),
    )
    .option('--key <columns>', 'key column(s), comma-separated ids or original labels')
    .option('--sheet <name>', 'the workbook sheet to load (XLSX)')
    .addOption(
      new Option('--encoding <encoding>', 'override the detected encoding').choices([
        'utf-8',
        'gb18030',
        'utf-16le',
        'utf-16be',
      ]),
    )
    .option('--delimiter <char>', 'override the detected delimiter')
    .action(async (file: string, opts: ImportFlags, cmd: Command) =>
      // Loaded on use: the DataStore's readers and parsers are heavy for every other command's start.
      done(await (await import('./import.command.ts')).importCommand(config(cmd), io, file, opts)),
    );

  const user = program.command('user').description('account tools');
  user
    .command('token')
    .description('create an API token for a person and print only the token (for scripts)')
    .argument('<username>', 'the person the token acts as')
    .option('--name <name>', 'label shown in the token list', 'cli')
    .addOption(
      new Option('--expires-days <days>', 'days until the token expires (default: never)').argParser(
        positiveDays,
      ),
    )
    .action(async (username: string, opts: { name?: string; expiresDays?: number }, cmd: Command) =>
      done(await (await commands()).userTokenCommand(config(cmd), io, username, opts)),
    );

  program
    .command('backup')
    .description(
      'write the database, secrets and files into one .tar.gz (the embedded database needs the server stopped)',
    )
    .argument('<file>', 'backup file to write, e.g. civitas-2026-11-22.tar.gz')
    .action(async (file: string, _opts, cmd: Command) =>
      done(await (await import('./backup.commands.ts')).backupCommand(config(cmd), io, file)),
    );

  program
    .command('restore')
    .description('replace the data with a backup (server stopped); the replaced data is kept beside it')
    .argument('<file>', 'backup file written by "civitas backup"')
    .action(async (file: string, _opts, cmd: Command) =>
      done(await (await import('./backup.commands.ts')).restoreCommand(config(cmd), io, file)),
    );

  return program;
}
