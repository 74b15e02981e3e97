import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { loadDemo } from '../../demo/index.ts';
import { type BuildOptions, buildApp } from './app.ts';
import { describeDatabase, formatDemoAccounts } from './cli/output.ts';
import { harvestJobHandlers, harvestSchedulerTick, warmSearchMirror } from './modules/catalog/index.ts';
import { cleanOrphanStaging, datastoreJobHandlers, qualityRefreshTick } from './modules/datastore/index.ts';
import { exchangeJobHandlers, exchangeTicks } from './modules/exchange/index.ts';
import { identityTicks } from './modules/identity/index.ts';
import { checkpointIfNeeded, startCheckpointTimer } from './platform/audit/index.ts';
import { completeInterruptedRestore } from './platform/backup.ts';
import { openContext } from './platform/boot.ts';
import type { Config } from './platform/config.ts';
import type { AppContext } from './platform/context.ts';
import { describeLockHolder } from './platform/db-lock.ts';
import { expireLeasesOfDeadOwner, purgeJobsTick, Worker } from './platform/jobs/index.ts';
import { removeLocalHandoff, writeLocalHandoff } from './platform/local-handoff.ts';

/** How long a graceful stop waits for running jobs before handing them back to the queue. */
const JOB_STOP_TIMEOUT_MS = 10_000;

/** The built web app (vite build → dist/web), found from this file so the working directory does not matter. */
export const WEB_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

export interface StartOptions {
  /** Shut down on SIGINT/SIGTERM and exit the process (the CLI); tests call stop() instead. */
  handleSignals?: boolean;
  /** Where the banner goes; stdout by default. */
  print?: (line: string) => void;
  webDir?: string;
  logger?: BuildOptions['logger'];
  /** Runs after the app is built and before it listens (tests add routes here). */
  beforeListen?: (app: FastifyInstance) => void | Promise<void>;
}

export interface RunningServer {
  app: FastifyInstance;
  ctx: AppContext;
  port: number;
  url: string;
  /** The job worker of this node (harvests and other queued work). */
  worker: Worker;
  /**
   * Graceful stop: refuse new connections and finish requests in flight while running jobs finish
   * (or go back to the queue after a timeout), sign a final checkpoint, close the database.
   */
  stop(): Promise<void>;
}

/** Opens (and migrates) the database, loads the demo city into an empty one, and serves the app. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const recovered = completeInterruptedRestore(config.dataDir);
  if (recovered) print(`Note: ${recovered}.`);
  describeLockHolder('start', config.port || undefined);
  const ctx = await openContext(config);

  let app: FastifyInstance | undefined;
  let worker: Worker | undefined;
  let stopTimer = () => {};
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      stopTimer();
      removeLocalHandoff(config.dataDir);
      try {
        // close() stops listening, drops idle keep-alive connections and waits for requests in flight.
        await Promise.all([app?.close(), worker?.stop(JOB_STOP_TIMEOUT_MS)]);
        await checkpointIfNeeded(ctx.db, ctx.signer, 1);
      } finally {
        await ctx.database.close();
      }
    })();
    return stopping;
  };

  try {
    if (config.demoOnEmpty) {
      const demo = await loadDemo(ctx, { onlyIfEmpty: true });
      if (demo) {
        print(
          `Loaded the demo city: ${demo.departments} departments, ${demo.people} people, ${demo.catalog.resources} catalog resources. Sign in with:`,
        );
        print('');
        print(formatDemoAccounts(demo.accounts));
        print('');
        print(
          '(Demo passwords are public: never use the demo city for real data. CIVITAS_DEMO=false turns it off.)',
        );
      }
    }
    // The embedded database has one owner: jobs it left running died with it; take them over now.
    if (ctx.engine === 'pglite') await expireLeasesOfDeadOwner(ctx.db);
    // Staging tables of loads cut off by a crash: their loads start again from the file.
    await cleanOrphanStaging(ctx.db);
    const webDir = options.webDir ?? WEB_DIR;
    app = await buildApp(ctx, { webDir, logger: options.logger });
    await options.beforeListen?.(app);
    await app.listen({ host: config.host, port: config.port });
    const port = (app.server.address() as AddressInfo).port;
    const wildcard = config.host === '0.0.0.0' || config.host === '::' || config.host === 'localhost';
    const url = `http://${wildcard ? 'localhost' : config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    // Commands on this machine (civitas import) hand their work to this process over loopback.
    if (wildcard || config.host === '127.0.0.1')
      writeLocalHandoff(config.dataDir, `http://127.0.0.1:${port}`);

    stopTimer = startCheckpointTimer(ctx.db, ctx.signer, {
      every: config.auditCheckpointEvery,
      seconds: config.auditCheckpointSeconds,
      onError: (err) => app?.log.error({ err }, 'audit checkpoint failed'),
    });
    // After listen: queued work (harvests) starts once the node serves, and on every node alike.
    const log = app.log;
    worker = new Worker(
      ctx,
      { ...harvestJobHandlers, ...datastoreJobHandlers, ...exchangeJobHandlers },
      {
        concurrency: 2,
        ticks: [harvestSchedulerTick, purgeJobsTick, qualityRefreshTick, ...exchangeTicks, ...identityTicks],
        onError: (err, job) =>
          job
            ? log.warn({ err, jobId: job.id, kind: job.kind, attempt: job.attempts }, 'job attempt failed')
            : log.error({ err }, 'job worker error'),
      },
    ).start();
    if (config.searchMirror) warmSearchMirror(ctx.db, (err) => log.warn({ err }, 'search mirror not built'));

    print(`Civitas is running at ${url}`);
    print(`  database: ${describeDatabase(config.databaseUrl, config.dataDir)}`);
    print(`  data dir: ${config.dataDir}`);
    print(`  API docs: ${url}/api/docs`);
    if (!fs.existsSync(`${webDir}/index.html`))
      print(`  web app:  not built (run "npm run build"); serving the API only`);
    if (options.handleSignals) handleSignals(stop, print);
    return { app, ctx, port, url, worker, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** First SIGINT/SIGTERM: graceful stop, exit 0. A second one: exit at once. */
function handleSignals(stop: () => Promise<void>, print: (line: string) => void) {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received > 1) {
      print(`${signal} again: exiting without waiting.`);
      process.exit(1);
    }
    print(`${signal} received: finishing requests in flight, then stopping (press Ctrl+C again to force).`);
    stop().then(
      () => {
        print('Stopped.');
        process.exit(0);
      },
      (err: unknown) => {
        print(`Stopped with an error: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
