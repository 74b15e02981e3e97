import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScratchDatabase, scratchDatabase } from '../../../test/support/scratch-database.ts';
import { createDataset } from '../modules/catalog/index.ts';
import { createDepartment } from '../modules/identity/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import { openContext } from '../platform/boot.ts';
import { loadConfig } from '../platform/config.ts';
import { runCliIn } from './cli.test-helpers.ts';

// `civitas import`, run in-process against the suite's engine (an embedded data directory, or a
// fresh PostgreSQL database): a new resource from a file, then an upsert into it, then a bad file.

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-import-cli-'));
const dataDir = path.join(root, 'data');
let scratch: ScratchDatabase | undefined;
const env: Record<string, string | undefined> = { CIVITAS_DEMO: 'false', CIVITAS_LOG_LEVEL: 'silent' };

beforeAll(async () => {
  scratch = await scratchDatabase('civitas_icli');
  if (scratch.url) env.DATABASE_URL = scratch.url;
  const ctx = await openContext(loadConfig({ dataDir }, env));
  try {
    const dept = await createDepartment(ctx, systemActor('test'), {
      code: 'ICLI',
      nameZh: '导入局',
      nameEn: 'Import Bureau',
    });
    await createDataset(ctx, systemActor('test'), {
      name: 'licences',
      titleZh: '许可证',
      departmentId: dept.id,
      openType: 'open',
      shareType: 'unconditional',
      licenseId: 'cc-by',
    });
  } finally {
    await ctx.database.close();
  }
});
afterAll(async () => {
  await scratch?.drop();
  fs.rmSync(root, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCliIn(dataDir, env, ...args);

const write = (name: string, content: string | Buffer) => {
  const file = path.join(root, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('civitas import', () => {
  it('creates the resource from the file, loads it and prints the report', async () => {
    const file = write('许可证.csv', '许可证号,发证日期,有效\nA001,2023/5/21,是\nA002,2023年6月1日,否\n');
    const { code, out } = await cli('import', file, '--dataset', 'licences');
    expect(code).toBe(0);
    expect(out).toMatch(/Loaded 2 rows into resource .* as version 1/);
    expect(out).toMatch(/发证日期\tdate/);
    expect(out).toMatch(/有效\tboolean/);
  });

  it('upserts by a key into the existing resource', async () => {
    const file = write('update.csv', '许可证号,有效\nA002,是\nA003,是\n');
    const { code, out } = await cli(
      'import',
      file,
      '--dataset',
      'licences',
      '--resource',
      '许可证.csv',
      '--mode',
      'upsert',
      '--key',
      '许可证号',
    );
    expect(code).toBe(0);
    expect(out).toMatch(/Loaded 3 rows .* as version 2/);
    expect(out).toContain('1 added, 0 removed, 1 changed');
  });

  it('says which column an append widened, and why', async () => {
    const file = write('more.csv', '许可证号,发证日期,有效\nA004,待定,是\n');
    const { code, out } = await cli(
      'import',
      file,
      '--dataset',
      'licences',
      '--resource',
      '许可证.csv',
      '--mode',
      'append',
    );
    expect(code).toBe(0);
    expect(out).toContain('1 added, 0 removed, 0 changed');
    expect(out).toMatch(
      /column 发证日期 widened from date to text: 1 value\(s\) did not fit, e\.g\. row \d+: "待定"/,
    );
  });

  it('reports a bad file and leaves the table as it was', async () => {
    const file = write('junk.csv', Buffer.from([0, 159, 146, 150, 0, 0, 1, 2]));
    const { code, out } = await cli('import', file, '--dataset', 'licences', '--resource', '许可证.csv');
    expect(code).toBe(1);
    expect(out).toMatch(/failed: .*\(datastore\./);
    expect(out).toContain('The previous version of the table is unchanged.');
  });
});
