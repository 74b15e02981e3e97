import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../../test/support/scratch-database.ts';
import { appendAudit } from './platform/audit/index.ts';
import { type Config, loadConfig } from './platform/config.ts';
import { startServer } from './server.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-server-'));
let config: Config;
let scratch: ScratchDatabase | undefined;

beforeAll(async () => {
  scratch = await scratchDatabase('civitas_srv');
  const databaseUrl = scratch.url;
  const base = loadConfig({ dataDir: path.join(root, 'data'), port: 0, host: '127.0.0.1' }, {});
  config = { ...base, databaseUrl, demoOnEmpty: false, logLevel: 'silent' };
});
afterAll(async () => {
  await scratch?.drop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** A plain HTTP GET on a fresh connection; resolves with the status and body, rejects on connection errors. */
function get(port: number, p: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

describe('server lifecycle', () => {
  it('lets a request in flight finish on shutdown, refuses new connections, checkpoints and releases the database', async () => {
    let entered!: () => void;
    const handlerEntered = new Promise<void>((r) => {
      entered = r;
    });
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const lines: string[] = [];
    const server = await startServer(config, {
      print: (l) => lines.push(l),
      logger: false,
      beforeListen: (app) => {
        app.get('/test/slow', async () => {
          entered();
          await released;
          return { finished: true };
        });
      },
    });
    expect(lines[0]).toBe(`Civitas is running at http://127.0.0.1:${server.port}`);
    expect(lines.join('\n')).toContain(config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite');
    expect((await get(server.port, '/healthz')).status).toBe(200);
    await server.ctx.db
      .transaction()
      .execute((trx) => appendAudit(trx, { action: 'test.event', actor: { id: null, label: 't' } }));

    const inFlight = get(server.port, '/test/slow');
    await handlerEntered;
    const stopped = server.stop();
    // New connections are no longer served (refused, or reset when one raced into the closing socket's backlog).
    const late = await get(server.port, '/healthz').catch((err: NodeJS.ErrnoException) => err.code);
    expect(late).toMatch(/^(ECONNREFUSED|ECONNRESET)$/);
    release();
    expect(await inFlight).toEqual({ status: 200, body: '{"finished":true}' });
    await stopped;

    if (!config.databaseUrl) expect(fs.existsSync(path.join(config.dataDir, 'civitas.lock'))).toBe(false);
    // The final checkpoint pins the entry written just before shutdown.
    const { openContext } = await import('./platform/boot.ts');
    const ctx = await openContext(config);
    try {
      const last = await ctx.db
        .selectFrom('audit_checkpoints')
        .select('seq')
        .orderBy('seq', 'desc')
        .executeTakeFirst();
      expect(last?.seq).toBe(1);
    } finally {
      await ctx.database.close();
    }
  });
});
