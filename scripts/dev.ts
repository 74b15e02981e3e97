// `npm run dev`: the API server (restarting on server changes) on :8080 and the Vite dev server
// with hot reload on :5173, which forwards /api to it. Open http://localhost:5173.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = process.env.PORT ?? '8080';

// tsx's watch mode restarts the server when a server file changes; the web app is Vite's business.
const api: ChildProcess = spawn(
  process.execPath,
  [
    path.join(root, 'node_modules/tsx/dist/cli.mjs'),
    'watch',
    '--clear-screen=false',
    'src/server/main.ts',
    'start',
    '--port',
    apiPort,
    '--host',
    '127.0.0.1',
  ],
  { cwd: root, stdio: 'inherit' },
);

const vite = await createServer({ configFile: path.join(root, 'vite.config.ts') });
await vite.listen();
vite.printUrls();
console.log(`API server on http://127.0.0.1:${apiPort} (proxied under /api)`);

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  api.kill('SIGTERM');
  await vite.close();
  process.exit(code);
}
api.on('exit', (code) => {
  if (!stopping) {
    console.error(`API server exited (${code ?? 'signal'}); stopping the dev server.`);
    void stop(code ?? 1);
  }
});
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
