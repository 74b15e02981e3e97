import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listInputs, staleReason, writeBuildStamp } from '../../scripts/ensure-web-build.ts';

// `npm start` and the browser tests rebuild the web app only when its sources changed; a stale
// bundle would test (or serve) old code, a needless rebuild costs every start seconds.

let root: string;
const write = (rel: string, text = 'x', mtimeMs?: number) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  if (mtimeMs !== undefined) fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
};
const HOUR = 3_600_000;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-webbuild-'));
  const old = Date.now() - 2 * HOUR;
  write('src/web/app/main.tsx', 'a', old);
  write('src/contracts/identity.ts', 'b', old);
  write('vite.config.ts', 'c', old);
  write('package-lock.json', '{}', old);
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** Simulates a finished build that started `agoMs` ago. */
function build(agoMs = HOUR) {
  write('dist/web/index.html', '<!doctype html>');
  writeBuildStamp(root, Date.now() - agoMs, listInputs(root));
}

describe('staleReason', () => {
  it('wants a build when there is none', () => {
    expect(staleReason(root)).toBe('no build yet');
  });

  it('is satisfied right after a build', () => {
    build();
    expect(staleReason(root)).toBeUndefined();
  });

  it('rebuilds when a source is newer than the build, tests excluded', () => {
    build();
    write('src/web/app/other.test.ts', 'test', Date.now());
    expect(staleReason(root)).toBeUndefined();
    write('src/contracts/identity.ts', 'changed', Date.now());
    expect(staleReason(root)).toBe('sources changed since the last build');
  });

  it('rebuilds when a source file disappears or appears with an old date', () => {
    build();
    fs.rmSync(path.join(root, 'src/web/app/main.tsx'));
    expect(staleReason(root)).toBe('source files were added or removed');
    write('src/web/app/main.tsx', 'a', Date.now() - 3 * HOUR);
    write('src/web/app/restored-from-git.ts', 'old', Date.now() - 3 * HOUR);
    expect(staleReason(root)).toBe('source files were added or removed');
  });

  it('counts a file saved while the build was running as newer', () => {
    // The build started 10 s ago and the file was saved 5 s ago, before the stamp was written.
    const started = Date.now() - 10_000;
    write('src/web/app/main.tsx', 'edited mid-build', Date.now() - 5_000);
    write('dist/web/index.html', '<!doctype html>');
    writeBuildStamp(root, started, listInputs(root));
    expect(staleReason(root)).toBe('sources changed since the last build');
  });
});
