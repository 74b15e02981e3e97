// A server for bench/http.ts, run in its own process so the load generator does not share its
// event loop. Prints one JSON line {port, token?} when listening; stops on SIGTERM.
//   tsx bench/http-target.ts bare | pglite | postgres
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { createApiToken, createDepartment, createStaff } from '../src/server/modules/identity/index.ts';
import { systemActor } from '../src/server/platform/auth/actor.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { createContext } from '../src/server/platform/context.ts';
import { ephemeralSecrets } from '../src/server/platform/secrets.ts';
import { freshDatabase } from './bench-support.ts';

const kind = process.argv[2];

if (kind === 'bare') {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ port: (app.server.address() as { port: number }).port }));
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
} else if (kind === 'pglite' || kind === 'postgres') {
  const b = await freshDatabase(kind, 10);
  const config = {
    ...loadConfig({ dataDir: path.join(os.tmpdir(), 'civitas-bench-http') }, {}),
    databaseUrl: kind === 'postgres' ? b.where : undefined,
    logLevel: 'silent' as const,
    demoOnEmpty: false,
    // The per-client limit would answer 429 to a load generator on one address.
    rateLimitPerMinute: 1e9,
  };
  const ctx = createContext(config, b.handle, ephemeralSecrets());
  const actor = systemActor('bench');
  const dept = await createDepartment(ctx, actor, {
    code: 'BENCH',
    nameZh: '基准测试局',
    nameEn: 'Benchmark Bureau',
  });
  const person = await createStaff(ctx, actor, {
    username: 'bench.user',
    displayName: 'Bench User',
    password: 'A-long-bench-passphrase-2026!',
    departmentId: dept.id,
    roles: ['case_handler', 'auditor'],
  });
  const { token } = await createApiToken(ctx, actor, person.id, { name: 'bench' });
  const app = await buildApp(ctx, { logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ port: (app.server.address() as { port: number }).port, token }));
  process.on('SIGTERM', () =>
    app
      .close()
      .then(() => b.dispose())
      .then(() => process.exit(0)),
  );
} else {
  console.error('usage: http-target.ts bare | pglite | postgres');
  process.exit(2);
}
