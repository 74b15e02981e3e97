// Entry of the typed load's worker threads. A worker does not inherit the loader the main thread was
// started with (tsx): its modules are loaded by Node's own type stripping, which is why they declare
// fields rather than use parameter properties (and import types with `import type`). Starting a
// thread this way costs a tenth of what compiling with tsx did.
await import('./pass-worker.ts');
