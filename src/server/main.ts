// The `civitas` command: bin/civitas.mjs (or `npm run civitas --`) runs this file.
import { runCli } from './cli/run.ts';

const result = await runCli(process.argv.slice(2));
// A running server keeps the process alive and exits from its signal handler; every other
// command exits here, without waiting for idle handles of the embedded database.
if (result !== 'serving') process.exit(result);
