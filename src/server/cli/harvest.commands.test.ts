import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../../../test/support/scratch-database.ts';
import { ScriptedServer } from '../modules/catalog/harvest/harvest.test-helpers.ts';
import { createSource } from '../modules/catalog/harvest/harvest-source.service.ts';
import { createDepartment } from '../modules/identity/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import { openContext } from '../platform/boot.ts';
import { loadConfig } from '../platform/config.ts';
import { runCliIn } from './cli.test-helpers.ts';

// `civitas harvest run|list`, run in-process against the suite's engine (an embedded data directory,
// or a fresh PostgreSQL database), harvesting a local server that replays CKAN answers.

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-harvest-cli-'));
const dataDir = path.join(root, 'data');
let scratch: ScratchDatabase | undefined;
// The replayed source listens on this machine.
const env: Record<string, string | undefined> = {
  CIVITAS_DEMO: 'false',
  CIVITAS_LOG_LEVEL: 'silent',
  CIVITAS_HARVEST_ALLOW_INTERNAL: 'true',
};
const remote = new ScriptedServer();

beforeAll(async () => {
  scratch = await scratchDatabase('civitas_hcli');
  if (scratch.url) env.DATABASE_URL = scratch.url;
  await remote.listen();
  remote.on('/api/3/action/package_search', (_req, res) => {
    const pkg = (name: string) => ({
      id: `id-${name}`,
      name,
      title: `Title ${name}`,
      license_id: 'cc-by',
      resources: [{ name: 'csv', url: `https://files.example.org/${name}.csv`, format: 'CSV' }],
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ success: true, result: { count: 2, results: [pkg('cli-one'), pkg('cli-two')] } }),
    );
  });
  // Set up the way an operator would have, through the services, then let go of the database.
  const ctx = await openContext(loadConfig({ dataDir }, env));
  try {
    const dept = await createDepartment(ctx, systemActor('test'), {
      code: 'HCLI',
      nameZh: '采集局',
      nameEn: 'Harvest Bureau',
    });
    await createSource(ctx, systemActor('test'), {
      name: 'replay',
      title: 'Replayed CKAN',
      kind: 'ckan',
      url: remote.url,
      departmentId: dept.id,
    });
  } finally {
    await ctx.database.close();
  }
});
afterAll(async () => {
  await remote.close();
  await scratch?.drop();
  fs.rmSync(root, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCliIn(dataDir, env, ...args);

describe('civitas harvest', () => {
  it('runs a source synchronously and prints its log', async () => {
    const first = await cli('harvest', 'run', 'replay');
    expect(first.err).toContain('Harvesting "Replayed CKAN"');
    expect(first.out).toMatch(/^Run [0-9a-f-]{36} of "replay": succeeded in /);
    expect(first.out).toContain('1 page(s), 2 dataset(s) gathered: 2 created, 0 updated, 0 unchanged');
    expect(first.code).toBe(0);
    const again = await cli('harvest', 'run', 'replay');
    expect(again.out).toContain('0 created, 0 updated, 2 unchanged');
  });

  it('lists the sources with their latest run', async () => {
    const { code, out } = await cli('harvest', 'list');
    expect(code).toBe(0);
    expect(out).toMatch(/^replay\tckan\tmanual\tactive\t2 datasets\tlast run succeeded /);
  });

  it('names an unknown source plainly (exit 1)', async () => {
    const { code, err } = await cli('harvest', 'run', 'nowhere');
    expect(code).toBe(1);
    expect(err).toBe('civitas: No harvest source is named "nowhere"');
  });
});
