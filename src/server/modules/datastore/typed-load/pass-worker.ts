import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parentPort } from 'node:worker_threads';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type CopiedPart, type CopyPart, encodePart } from './encode-part.ts';
import { countClasses, countWindows, GuessMissed } from './infer-pass.ts';
import { ScanRefused } from './record-scan.ts';
import type { WorkerConnection, WorkerReply, WorkerTask } from './workers.ts';

// A worker thread of the typed load (workers.ts): classifies or COPYs one part of the file per task
// and posts the result (or the reason it stopped).

const progress = (bytes: number, rows: number) =>
  parentPort?.postMessage({ progress: bytes, rows } satisfies WorkerReply<unknown>);

async function copyPart(part: CopyPart, connection: WorkerConnection): Promise<CopiedPart> {
  const client = new pg.Client(connection);
  await client.connect();
  try {
    const encoded = encodePart(part, undefined, progress);
    const stream = client.query(copyFrom(part.copySql.replace('{source}', 'STDIN')));
    await pipeline(Readable.from(encoded.rows), stream);
    return encoded.result(stream.rowCount);
  } finally {
    await client.end();
  }
}

async function run(task: WorkerTask): Promise<unknown> {
  if (task.kind === 'sample') return countWindows(task.file, task.windows, task.nullTokens);
  if (task.kind === 'classify')
    return countClasses(task.file, task.shape, task.nullTokens, { onProgress: progress });
  return copyPart(task.task, task.connection);
}

// One task at a time: the pool (workers.ts) hands a thread its next task only once it has replied.
parentPort?.on('message', async (task: WorkerTask) => {
  try {
    const result = await run(task);
    parentPort?.postMessage({ ok: true, result } satisfies WorkerReply<unknown>);
  } catch (err) {
    const reply: WorkerReply<unknown> = {
      ok: false,
      message: (err as Error).message,
      ...(err instanceof ScanRefused ? { refused: err.reason } : {}),
      ...(err instanceof GuessMissed ? { missed: err.column } : {}),
    };
    parentPort?.postMessage(reply);
  }
});
