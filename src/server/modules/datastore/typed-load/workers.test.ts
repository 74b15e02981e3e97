import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClassCounts } from './infer-pass.ts';
import { runAllInWorkers, runInWorker } from './workers.ts';

// Worker threads load their modules with Node's own type stripping, not the tsx the tests and the
// server run under: a module they load that uses syntax stripping cannot erase (a parameter
// property, an enum) stops every large typed load. These tasks start real threads.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typed-workers-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('typed load worker threads', () => {
  it('start without tsx and classify a sample and a part', async () => {
    const file = path.join(dir, 'f.csv');
    fs.writeFileSync(file, '1,"a\nb"\n2,c\n3,007\n');
    const shape = { dataOffset: 0, delimiter: ',', quote: '"', columnCount: 2, end: 20 };
    const sampled = await runInWorker<ClassCounts[]>({
      kind: 'sample',
      file,
      windows: [shape],
      nullTokens: [],
    });
    expect(sampled.map((c) => c.rows)).toEqual([3]);
    const classified = await runAllInWorkers<ClassCounts>([
      { kind: 'classify', file, shape, nullTokens: [] },
    ]);
    expect(classified[0]!.rows).toBe(3);
  });

  it('hand back why a part was refused', async () => {
    const file = path.join(dir, 'ragged.csv');
    fs.writeFileSync(file, '1,2\n3\n');
    const shape = { dataOffset: 0, delimiter: ',', quote: '"', columnCount: 2 };
    await expect(runInWorker({ kind: 'classify', file, shape, nullTokens: [] })).rejects.toMatchObject({
      reason: expect.stringContaining('1 of 2 fields'),
    });
  });
});
