import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../../../../../test/support/scratch-database.ts';
import type { HarvestRunDto } from '../../../../contracts/harvest.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import { openContext } from '../../../platform/boot.ts';
import { type Config, loadConfig } from '../../../platform/config.ts';
import { type RunningServer, startServer } from '../../../server.ts';
import { createDepartment } from '../../identity/index.ts';
import { ScriptedServer } from './harvest.test-helpers.ts';
import { createSource, getRun, getSource, requestRun } from './harvest-source.service.ts';

// The server runs harvests by itself: its worker starts after listen, the scheduler tick queues a
// scheduled source that is due, "run now" is picked up, and a graceful stop stops the worker.

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-harvest-server-'));
let scratch: ScratchDatabase | undefined;
let config: Config;
let server: RunningServer | undefined;
const remote = new ScriptedServer();

beforeAll(async () => {
  scratch = await scratchDatabase('civitas_hsrv');
  const databaseUrl = scratch.url;
  const base = loadConfig(
    { dataDir: path.join(root, 'data'), port: 0, host: '127.0.0.1' },
    // The replayed source listens on this machine.
    { CIVITAS_HARVEST_ALLOW_INTERNAL: 'true' },
  );
  config = { ...base, databaseUrl, demoOnEmpty: false, logLevel: 'silent' };
  await remote.listen();
  remote.on('/api/3/action/package_search', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const results = [{ id: 'id-srv', name: 'served', title: 'Served', license_id: 'cc-by', resources: [] }];
    res.end(JSON.stringify({ success: true, result: { count: 1, results } }));
  });
  const ctx = await openContext(config);
  try {
    const dept = await createDepartment(ctx, systemActor('test'), {
      code: 'HSRV',
      nameZh: '服务局',
      nameEn: 'Serving Bureau',
    });
    for (const [name, schedule] of [
      ['scheduled', 'hourly'],
      ['on-demand', 'manual'],
    ] as const)
      await createSource(ctx, systemActor('test'), {
        name,
        title: name,
        kind: 'ckan',
        url: remote.url,
        departmentId: dept.id,
        schedule,
      });
  } finally {
    await ctx.database.close();
  }
});
afterAll(async () => {
  await server?.stop();
  await remote.close();
  await scratch?.drop();
  fs.rmSync(root, { recursive: true, force: true });
});

async function finished(runId: string): Promise<HarvestRunDto> {
  for (let i = 0; i < 600; i++) {
    const run = await getRun(server!.ctx, systemActor('test'), runId);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run did not finish');
}

it('harvests due scheduled sources and requested runs with the worker of startServer', async () => {
  server = await startServer(config, { print: () => {}, logger: false });
  const actor = systemActor('test');
  // The scheduler tick runs as the worker starts: the hourly source is due since it was registered.
  let scheduled = await getSource(server.ctx, actor, { name: 'scheduled' });
  for (let i = 0; i < 200 && !scheduled.lastRun; i++) {
    await new Promise((r) => setTimeout(r, 50));
    scheduled = await getSource(server.ctx, actor, { name: 'scheduled' });
  }
  expect(scheduled.lastRun?.trigger).toBe('schedule');
  expect((await finished(scheduled.lastRun!.id)).status).toBe('succeeded');

  const onDemand = await getSource(server.ctx, actor, { name: 'on-demand' });
  const requested = await requestRun(server.ctx, actor, onDemand.id);
  const run = await finished(requested.run.id);
  expect(run).toMatchObject({ status: 'succeeded', counts: { created: 1 } });

  await server.stop();
  expect(server.worker.active).toBe(0);
  server = undefined;
});
