// Builds the web app into dist/web when it is missing or older than its sources, and only then.
// Used by `npm start` and by the browser tests; `npm run build` always rebuilds.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the bundle is made from: the web app, the contracts it imports, the build config and dependencies. */
const INPUTS = ['src/web', 'src/contracts', 'vite.config.ts', 'package-lock.json'];
const OUT_DIR = 'dist/web';
const STAMP = '.build-stamp.json';
const LOCK = 'dist/.web-build.lock';
/** A lock older than this was left by a crashed build. */
const STALE_LOCK_MS = 5 * 60_000;

export interface Inputs {
  files: string[];
  newestMs: number;
}

/** The files the web bundle is built from, and the newest modification time among them. */
export function listInputs(root = ROOT): Inputs {
  const files: string[] = [];
  let newestMs = 0;
  const visit = (rel: string) => {
    const abs = path.join(root, rel);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(abs).sort()) visit(path.join(rel, name));
    } else if (!rel.endsWith('.test.ts')) {
      files.push(rel);
      newestMs = Math.max(newestMs, stat.mtimeMs);
    }
  };
  for (const input of INPUTS) visit(input);
  return { files, newestMs };
}

/** The file list's fingerprint: a deleted or renamed source must trigger a build even though nothing got newer. */
const fingerprint = (files: string[]) => createHash('sha256').update(files.join('\n')).digest('hex');

/**
 * Records what a finished build was made from. Called by the build itself (the stamp plugin in
 * vite.config.ts), so `npm run build` and this script agree. The stamp is dated at the build's start:
 * a source saved while vite was running still counts as newer.
 */
export function writeBuildStamp(root: string, startedMs: number, inputs: Inputs) {
  const stampPath = path.join(root, OUT_DIR, STAMP);
  fs.writeFileSync(
    stampPath,
    `${JSON.stringify({ inputs: fingerprint(inputs.files), builtAt: new Date(startedMs).toISOString() })}\n`,
  );
  fs.utimesSync(stampPath, startedMs / 1000, startedMs / 1000);
}

/** Why dist/web must be (re)built, or undefined when it is up to date. */
export function staleReason(root = ROOT): string | undefined {
  const out = path.join(root, OUT_DIR);
  const stampPath = path.join(out, STAMP);
  if (!fs.existsSync(path.join(out, 'index.html')) || !fs.existsSync(stampPath)) return 'no build yet';
  const builtMs = fs.statSync(stampPath).mtimeMs;
  const inputs = listInputs(root);
  if (inputs.newestMs > builtMs) return 'sources changed since the last build';
  let stamp: { inputs?: string };
  try {
    stamp = JSON.parse(fs.readFileSync(stampPath, 'utf8')) as { inputs?: string };
  } catch {
    return 'unreadable build stamp';
  }
  if (stamp.inputs !== fingerprint(inputs.files)) return 'source files were added or removed';
  return undefined;
}

function runViteBuild(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // process.execPath is the Node that runs us (the pinned Node 24 under npm scripts and npx).
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: root,
        // Test runners set NODE_ENV=test, which would make React and antd ship their development builds.
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (exit code ${code})`)),
    );
  });
}

async function withLock<T>(root: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(root, LOCK);
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS)
          fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        // Released between our two looks: try again.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Makes sure dist/web holds a build of the current sources; builds at most once even when several
 * processes (parallel test files) ask at the same time. Returns whether it had to build.
 */
export async function ensureWebBuild(
  options: { root?: string; log?: (line: string) => void } = {},
): Promise<boolean> {
  const root = options.root ?? ROOT;
  const log = options.log ?? ((line: string) => console.log(line));
  if (!staleReason(root)) return false;
  return withLock(root, async () => {
    // Another process may have built while we waited for the lock.
    const reason = staleReason(root);
    if (!reason) return false;
    log(`Building the web app (${reason})…`);
    const started = Date.now();
    await runViteBuild(root);
    const after = staleReason(root);
    if (after) throw new Error(`vite build finished but dist/web is still not current (${after})`);
    log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return true;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const built = await ensureWebBuild();
    if (!built) console.log('Web app is up to date (dist/web).');
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
