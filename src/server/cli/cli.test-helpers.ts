import type { Io } from './cli-error.ts';
import { runCli } from './run.ts';

/** Runs the civitas command in this process on `dataDir` with `env`; returns its exit code and output. */
export async function runCliIn(dataDir: string, env: Record<string, string | undefined>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runCli(['--data-dir', dataDir, ...args], io, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
