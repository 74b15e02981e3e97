// Load generator of bench/catalog-search.ts, run in its own process so that it does not share the
// server's event loop: `concurrency` clients each send one request after another for `seconds`,
// cycling through the given URLs, and the latencies of all requests are printed as JSON.
const [, , urlsJson, concurrencyArg, secondsArg] = process.argv;
const urls = JSON.parse(urlsJson ?? '[]') as string[];
const concurrency = Number(concurrencyArg ?? 10);
const seconds = Number(secondsArg ?? 10);

const latencies: number[] = [];
let failures = 0;
let next = 0;

async function client(until: number) {
  while (performance.now() < until) {
    const url = urls[next++ % urls.length] as string;
    const t0 = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status === 200) latencies.push(ms);
    else failures++;
  }
}

// Warm-up: JIT, plans, caches.
await Promise.all(Array.from({ length: concurrency }, () => client(performance.now() + 2000)));
latencies.length = 0;
failures = 0;
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => client(started + seconds * 1000)));
const elapsed = (performance.now() - started) / 1000;
console.log(JSON.stringify({ latencies, failures, elapsed }));
