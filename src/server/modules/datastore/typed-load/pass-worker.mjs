// Entry of the typed load's worker threads: compiles pass-worker.ts with tsx, as the server's own
// TypeScript is compiled (a worker does not inherit the loader the main thread was started with).
import { tsImport } from 'tsx/esm/api';

await tsImport('./pass-worker.ts', import.meta.url);
