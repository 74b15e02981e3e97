import fs from 'node:fs';
import path from 'node:path';

export interface DataDirLock {
  release(): void;
}

export interface LockOwner {
  pid: number;
  command: string;
  port?: number;
  startedAt: string;
}

/** The embedded database is owned by one process at a time; a second one must be told, not corrupt it. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by process ${owner.pid} (civitas ${owner.command}` +
        `${owner.port ? ` on port ${owner.port}` : ''}, since ${owner.startedAt}). ` +
        'Stop that process first, or run Civitas on PostgreSQL (DATABASE_URL) to share the database.',
    );
  }
}

const LOCK_FILE = 'civitas.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads who holds the lock of a data directory, if a live process does. */
export function lockOwner(dataDir: string): LockOwner | undefined {
  const file = path.join(dataDir, LOCK_FILE);
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as LockOwner;
    return isAlive(owner.pid) && owner.pid !== process.pid ? owner : undefined;
  } catch {
    return undefined;
  }
}

let currentCommand = 'start';
let currentPort: number | undefined;
/** Records what this process is, so that a second process can say who holds the lock. */
export function describeLockHolder(command: string, port?: number) {
  currentCommand = command;
  currentPort = port;
}

/** Creates the lock file atomically (O_EXCL); a stale lock of a dead process is taken over. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const owner: LockOwner = {
    pid: process.pid,
    command: currentCommand,
    port: currentPort,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(owner));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = lockOwner(dataDir);
      if (holder) throw new DataDirLockedError(dataDir, holder);
      fs.rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}
