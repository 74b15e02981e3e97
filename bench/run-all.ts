// npm run bench: every benchmark in turn, each in its own process so one cannot warm or starve another.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['audit.ts', 'http.ts', 'catalog-search.ts'];

let failed = 0;
for (const name of BENCHES) {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
  console.log(`\n======== bench/${name} ========`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench/${name} failed (exit ${r.status})`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
