import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/server/platform/config.ts';
import { type AppContext, createContext } from '../../src/server/platform/context.ts';
import { type DatabaseHandle, openDatabase } from '../../src/server/platform/db.ts';
import { readyApp } from './test-app.ts';

// One more app node on a test context's database, as another process of the same deployment would
// run. On PostgreSQL it opens its own connection pool; PGlite lives in this process only, so there
// the nodes share its one connection (as test/multi-node.test.ts does).

export interface AppNode {
  app: FastifyInstance;
  ctx: AppContext;
  /** Closes the app and its own pool; the database itself stays (the test context drops it). */
  close(): Promise<void>;
}

/** An app node on `base`'s database, with `overrides` applied to its config (e.g. redisUrl). */
export async function appNode(base: AppContext, overrides: Partial<Config> = {}): Promise<AppNode> {
  const config: Config = { ...base.config, ...overrides };
  let own: DatabaseHandle | undefined;
  if (base.config.databaseUrl)
    own = await openDatabase({ databaseUrl: base.config.databaseUrl, poolSize: 5 });
  const ctx = createContext(config, own ?? base.database, base.secrets);
  try {
    return await readyApp(ctx, async () => {
      await own?.close();
    });
  } catch (err) {
    await own?.close();
    throw err;
  }
}
