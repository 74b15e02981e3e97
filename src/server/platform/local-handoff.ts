import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// How a command on the same machine hands work to the running server when it cannot open the
// embedded database itself (one process owns it). The server writes a random key into the data
// directory, readable only by the account that runs Civitas; a command that can read it may call the
// server's local routes from the loopback interface. Holding the key proves the same access to the
// data directory the command would need to open the database directly — no more.

const FILE = 'local-handoff.json';

export interface LocalHandoff {
  url: string;
  key: string;
  pid: number;
}

/** Writes a fresh key for the server at `url` (mode 0600, replaced atomically); returns it. */
export function writeLocalHandoff(dataDir: string, url: string): LocalHandoff {
  const handoff = { url, key: randomBytes(32).toString('hex'), pid: process.pid };
  const file = path.join(dataDir, FILE);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(handoff), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return handoff;
}

/** Removes the key of this process (at a graceful stop). */
export function removeLocalHandoff(dataDir: string): void {
  const current = readLocalHandoff(dataDir);
  if (current?.pid === process.pid) fs.rmSync(path.join(dataDir, FILE), { force: true });
}

/** The running server's key, when there is one. */
export function readLocalHandoff(dataDir: string): LocalHandoff | undefined {
  try {
    const h = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as LocalHandoff;
    return typeof h.url === 'string' && typeof h.key === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a request came over loopback with the key (compared in constant time). */
export function isLocalHandoff(expected: LocalHandoff | undefined, ip: string, given: unknown): boolean {
  if (!expected || typeof given !== 'string') return false;
  if (ip !== '127.0.0.1' && ip !== '::1' && ip !== '::ffff:127.0.0.1') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected.key);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const LOCAL_KEY_HEADER = 'x-civitas-local-key';
