// The server of bench/exchange-gateway.ts, in its own process so the load generator does not share
// its event loop: the real app on the given PostgreSQL database, as `civitas start` builds it
// (default pool). Prints one JSON line {port} when listening; stops on SIGTERM.
//   tsx bench/exchange-gateway-target.ts <database-url>
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app.ts';
import { loadConfig } from '../src/server/platform/config.ts';
import { createContext } from '../src/server/platform/context.ts';
import { openDatabase } from '../src/server/platform/db.ts';
import { ephemeralSecrets } from '../src/server/platform/secrets.ts';

const databaseUrl = process.argv[2];
if (!databaseUrl) {
  console.error('usage: exchange-gateway-target.ts <database-url>');
  process.exit(2);
}
const config = {
  ...loadConfig({ dataDir: path.join(os.tmpdir(), 'civitas-bench-exchange') }, {}),
  databaseUrl,
  logLevel: 'silent' as const,
  demoOnEmpty: false,
};
const handle = await openDatabase({ databaseUrl });
const app = await buildApp(createContext(config, handle, ephemeralSecrets()), { logger: false });
await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ port: (app.server.address() as { port: number }).port }));
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => handle.close())
    .then(() => process.exit(0)),
);
