import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDemo } from '../../../demo/index.ts';
import { ensureWebBuild } from '../../../scripts/ensure-web-build.ts';
import { buildApp } from '../../../src/server/app.ts';
import { harvestJobHandlers } from '../../../src/server/modules/catalog/index.ts';
import type { AppContext } from '../../../src/server/platform/context.ts';
import { Worker } from '../../../src/server/platform/jobs/index.ts';
import { createTestContext } from '../../support/test-context.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface E2EServer {
  baseUrl: string;
  /** The demo city's key accounts (username, password, description). */
  accounts: { username: string; password: string; description: string }[];
  /** Password of a demo account, failing loudly when the demo no longer has it. */
  passwordOf(username: string): string;
  /** The server's context, for a test that must move time along (e.g. a notice period ending). */
  ctx: AppContext;
  close(): Promise<void>;
}

/**
 * The real thing for browser tests: the current web build served by the full app on a random
 * 127.0.0.1 port, over a fresh database (PGlite, or PostgreSQL when DATABASE_URL is set) holding the
 * demo city, with a job worker running queued harvests.
 */
export async function startE2EServer(): Promise<E2EServer> {
  await ensureWebBuild({ root: ROOT, log: (line) => console.log(`[e2e] ${line}`) });
  // Dozens of page loads from one address within a minute must not hit the per-IP rate limit.
  const ctx = await createTestContext({ rateLimitPerMinute: 100_000 });
  try {
    const summary = await loadDemo(ctx);
    if (!summary) throw new Error('loadDemo returned nothing on an empty database');
    const app = await buildApp(ctx, { webDir: path.join(ROOT, 'dist/web'), logger: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    // Queued work (harvest runs) is done as on the real server, by a job worker of this node.
    const worker = new Worker(ctx, { ...harvestJobHandlers }, { pollMs: 250 }).start();
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      accounts: summary.accounts,
      ctx,
      passwordOf(username) {
        const account = summary.accounts.find((a) => a.username === username);
        if (!account) throw new Error(`The demo summary has no account "${username}"`);
        return account.password;
      },
      close: async () => {
        await worker.stop(5000);
        await app.close();
        await ctx.dispose();
      },
    };
  } catch (err) {
    await ctx.dispose();
    throw err;
  }
}
