// Load generator of bench/catalog-search.ts, run in its own process so that it does not share the
// server's event loop: `concurrency` clients each send one request after another for `seconds`,
// cycling through the given URLs, and the latencies of all requests are printed as JSON. Plain
// node:http over kept-alive connections (one per client), the body read in full: a load generator
// should spend as little of the shared cores as it can (fetch cost about three times as much).
import http from 'node:http';

const [, , urlsJson, concurrencyArg, secondsArg] = process.argv;
const urls = JSON.parse(urlsJson ?? '[]') as string[];
const concurrency = Number(concurrencyArg ?? 10);
const seconds = Number(secondsArg ?? 10);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

const latencies: number[] = [];
let failures = 0;
let next = 0;

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function client(until: number) {
  while (performance.now() < until) {
    const url = urls[next++ % urls.length] as string;
    const t0 = performance.now();
    const status = await get(url);
    const ms = performance.now() - t0;
    if (status === 200) latencies.push(ms);
    else failures++;
  }
}

// Warm-up: JIT, plans, caches.
await Promise.all(Array.from({ length: concurrency }, () => client(performance.now() + 2000)));
latencies.length = 0;
failures = 0;
const started = performance.now();
const cpu = process.cpuUsage();
await Promise.all(Array.from({ length: concurrency }, () => client(started + seconds * 1000)));
const elapsed = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ latencies, failures, elapsed, clientCpuSeconds: (used.user + used.system) / 1e6 }),
);
