import { Worker } from 'node:worker_threads';
import type { AppContext } from '../../../platform/context.ts';
import type { CopyPart } from './encode-part.ts';
import { GuessMissed } from './infer-pass.ts';
import { ScanRefused, type ScanShape } from './record-scan.ts';

// Worker threads for the typed load's two passes, one per part of the file (parts.ts): pass one
// classifies a part, pass two encodes one and COPYs it over a connection of its own. The thread
// runs pass-worker.ts through pass-worker.mjs, which compiles it as the server's own TypeScript is.
// Threads are kept between tasks (starting one costs about a tenth of a second, as much as reading
// 20 MB) and end after IDLE_MS without work; an idle thread does not keep the process alive.

/** How a worker thread connects to PostgreSQL: the pool's own settings. */
export interface WorkerConnection {
  connectionString?: string | undefined;
  options?: string | undefined;
}

export type WorkerTask =
  | { kind: 'classify'; file: string; shape: ScanShape; nullTokens: readonly string[] }
  | { kind: 'copy'; task: CopyPart; connection: WorkerConnection }
  | { kind: 'sample'; file: string; windows: ScanShape[]; nullTokens: readonly string[] };

/** What a worker posts: how far into its part it is (file offset, records), then its result or why it stopped. */
export type WorkerReply<T> =
  | { progress: number; rows: number }
  | { ok: true; result: T }
  | { ok: false; refused?: string; missed?: number; message: string };

const IDLE_MS = 30_000;

/** The pool's connection settings, for worker threads (they cannot share the pool). */
export function connectionOf(ctx: AppContext): WorkerConnection {
  const options = (ctx.database.pool as unknown as { options: WorkerConnection } | undefined)?.options;
  return { connectionString: options?.connectionString, options: options?.options };
}

/** Idle threads, ready for a task. */
const idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];

function takeWorker(): Worker {
  const ready = idle.pop();
  if (ready) {
    clearTimeout(ready.timer);
    ready.worker.ref();
    return ready.worker;
  }
  // Not the main thread's flags: its `--import tsx` would start tsx's compiler in every thread, which
  // costs more than the thread's own start (pass-worker.mjs loads the modules with Node's own).
  return new Worker(new URL('./pass-worker.mjs', import.meta.url), { execArgv: [] });
}

function giveBack(worker: Worker): void {
  worker.unref();
  const entry = {
    worker,
    timer: setTimeout(() => {
      idle.splice(idle.indexOf(entry), 1);
      void worker.terminate();
    }, IDLE_MS),
  };
  entry.timer.unref();
  idle.push(entry);
}

/** Runs `task` on a worker thread; a cancel stops the thread (and closes its connection). */
export function runInWorker<T>(
  task: WorkerTask,
  signal?: AbortSignal,
  onProgress?: (bytes: number, rows: number) => void,
): Promise<T> {
  signal?.throwIfAborted();
  const worker = takeWorker();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void, reuse: boolean) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reuse) giveBack(worker);
      else void worker.terminate();
      outcome();
    };
    const abort = () => finish(() => reject(signal?.reason ?? new Error('aborted')), false);
    const onMessage = (reply: WorkerReply<T>) => {
      if ('progress' in reply) return onProgress?.(reply.progress, reply.rows);
      if (reply.ok) finish(() => resolve(reply.result), true);
      else {
        const err =
          reply.refused !== undefined
            ? new ScanRefused(reply.refused)
            : reply.missed !== undefined
              ? new GuessMissed(reply.missed)
              : new Error(reply.message);
        finish(() => reject(err), true);
      }
    };
    const onError = (err: Error) => finish(() => reject(err), false);
    const onExit = (code: number) =>
      finish(() => reject(new Error(`typed load worker exited with code ${code}`)), false);
    signal?.addEventListener('abort', abort, { once: true });
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(task);
  });
}

/**
 * Runs `tasks` on a worker thread each and waits for all; the first to fail (or a cancel) stops the
 * others, so that nothing keeps writing into a table the load is about to drop.
 */
export async function runAllInWorkers<T>(
  tasks: readonly WorkerTask[],
  signal?: AbortSignal,
  onProgress?: (task: number, bytes: number, rows: number) => void,
): Promise<T[]> {
  const stop = new AbortController();
  const cancel = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await Promise.all(
      tasks.map((task, k) =>
        runInWorker<T>(task, stop.signal, (bytes, rows) => onProgress?.(k, bytes, rows)).catch((err) => {
          stop.abort(err);
          throw err;
        }),
      ),
    );
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
