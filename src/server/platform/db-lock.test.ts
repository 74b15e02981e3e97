import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, lockOwner } from './db-lock.ts';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-lock-'));

describe('data directory lock', () => {
  it('refuses a second owner while a live process holds it, naming that process', async () => {
    const dir = tmp();
    // A real other process as the holder.
    const child = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(
        path.join(dir, 'civitas.lock'),
        JSON.stringify({ pid: child.pid, command: 'start', port: 8080, startedAt: new Date().toISOString() }),
      );
      expect(lockOwner(dir)?.pid).toBe(child.pid);
      let error: unknown;
      try {
        acquireDataDirLock(dir);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as Error).message).toContain(String(child.pid));
      expect((error as Error).message).toContain('port 8080');
    } finally {
      child.kill();
    }
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = tmp();
    const child = spawn('true');
    await new Promise((resolve) => child.on('exit', resolve));
    fs.writeFileSync(
      path.join(dir, 'civitas.lock'),
      JSON.stringify({ pid: child.pid, command: 'start', startedAt: new Date().toISOString() }),
    );
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'civitas.lock'), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(fs.existsSync(path.join(dir, 'civitas.lock'))).toBe(false);
  });
});
