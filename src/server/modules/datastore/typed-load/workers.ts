import { Worker } from 'node:worker_threads';
import type { AppContext } from '../../../platform/context.ts';
import type { CopyPart } from './copy-pass.ts';
import { ScanRefused, type ScanShape } from './record-scan.ts';

// Worker threads for the typed load's two passes, one per part of the file (parts.ts): pass one
// classifies a part, pass two encodes one and COPYs it over a connection of its own. The thread
// runs pass-worker.ts through pass-worker.mjs, which compiles it as the server's own TypeScript is.

/** How a worker thread connects to PostgreSQL: the pool's own settings. */
export interface WorkerConnection {
  connectionString?: string | undefined;
  options?: string | undefined;
}

export type WorkerTask =
  | { kind: 'classify'; file: string; shape: ScanShape; nullTokens: readonly string[] }
  | { kind: 'copy'; task: CopyPart; connection: WorkerConnection };

/** What a worker posts: bytes of its part read so far, then its result or why it stopped. */
export type WorkerReply<T> =
  | { progress: number }
  | { ok: true; result: T }
  | { ok: false; refused?: string; message: string };

/** The pool's connection settings, for worker threads (they cannot share the pool). */
export function connectionOf(ctx: AppContext): WorkerConnection {
  const options = (ctx.database.pool as unknown as { options: WorkerConnection } | undefined)?.options;
  return { connectionString: options?.connectionString, options: options?.options };
}

/** Runs `task` on a new worker thread; a cancel stops the thread (and closes its connection). */
export function runInWorker<T>(
  task: WorkerTask,
  signal?: AbortSignal,
  onProgress?: (bytes: number) => void,
): Promise<T> {
  signal?.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL('./pass-worker.mjs', import.meta.url), { workerData: task });
    const abort = () => {
      void worker.terminate();
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', abort, { once: true });
    const done = () => signal?.removeEventListener('abort', abort);
    worker.on('message', (reply: WorkerReply<T>) => {
      if ('progress' in reply) return onProgress?.(reply.progress);
      done();
      void worker.terminate();
      if (reply.ok) resolve(reply.result);
      else reject(reply.refused !== undefined ? new ScanRefused(reply.refused) : new Error(reply.message));
    });
    worker.once('error', (err) => {
      done();
      reject(err);
    });
    worker.once('exit', (code) => {
      done();
      reject(new Error(`typed load worker exited with code ${code}`));
    });
  });
}

/**
 * Runs `tasks` on a worker thread each and waits for all; the first to fail (or a cancel) stops the
 * others, so that nothing keeps writing into a table the load is about to drop.
 */
export async function runAllInWorkers<T>(
  tasks: readonly WorkerTask[],
  signal?: AbortSignal,
  onProgress?: (task: number, bytes: number) => void,
): Promise<T[]> {
  const stop = new AbortController();
  const cancel = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await Promise.all(
      tasks.map((task, k) =>
        runInWorker<T>(task, stop.signal, (bytes) => onProgress?.(k, bytes)).catch((err) => {
          stop.abort(err);
          throw err;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
