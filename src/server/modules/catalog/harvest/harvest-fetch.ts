import { assertPublicAddress } from './harvest-address.ts';

// HTTP for harvesting: every response is read as a stream and dropped once it passes the size
// limit (counted after decompression, so a compressed bomb stops too), every request has its own
// time limit besides the run's, and redirects are followed by hand so that their number is limited
// and each hop is checked to be http(s).

/** A source misbehaved past a limit: the run records it and stops reading that source. */
export class HarvestLimitError extends Error {
  override name = 'HarvestLimitError';
}

/** A request failed (network, HTTP status, unreadable answer). */
export class HarvestFetchError extends Error {
  override name = 'HarvestFetchError';
}

export interface FetchOptions {
  accept: string;
  maxBytes: number;
  /** The run's signal: cancelled, or out of time. Its reason is rethrown as is. */
  signal: AbortSignal;
  /** Time limit of this one request (default 60 s). */
  timeoutMs?: number;
  maxRedirects?: number;
  /** Reach loopback, private and link-local addresses too (off unless the operator allows it). */
  allowInternal?: boolean;
}

export interface Fetched {
  /** The address finally answered, after redirects. */
  url: string;
  contentType: string;
  body: Buffer;
}

const USER_AGENT = 'Civitas-harvester/0.1 (+https://github.com/civitas)';

/** The URL if it is absolute http(s), else throws. */
export function httpUrl(value: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    throw new HarvestFetchError(`not a valid address: ${value.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new HarvestFetchError(`only http and https addresses are harvested, not ${url.protocol}`);
  return url;
}

/** GETs a URL within the limits; the whole body in memory, at most maxBytes of it. */
export async function fetchLimited(url: string, options: FetchOptions): Promise<Fetched> {
  const maxRedirects = options.maxRedirects ?? 5;
  const timeoutMs = options.timeoutMs ?? 60_000;
  let current = httpUrl(url).href;
  for (let hop = 0; ; hop++) {
    options.signal.throwIfAborted();
    if (!options.allowInternal) await assertPublicAddress(new URL(current));
    const requestTimeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([options.signal, requestTimeout]);
    const failed = (err: unknown): Error => {
      if (options.signal.aborted) return options.signal.reason as Error;
      if (requestTimeout.aborted)
        return new HarvestFetchError(
          `no complete answer from ${current} within ${Math.round(timeoutMs / 1000)} s`,
        );
      if (err instanceof HarvestLimitError || err instanceof HarvestFetchError) return err;
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return new HarvestFetchError(
        `cannot read ${current}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    };
    let res: Response;
    try {
      res = await fetch(current, {
        headers: { accept: options.accept, 'user-agent': USER_AGENT },
        redirect: 'manual',
        signal,
      });
    } catch (err) {
      throw failed(err);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel().catch(() => {});
      if (hop >= maxRedirects) throw new HarvestFetchError(`more than ${maxRedirects} redirects from ${url}`);
      current = httpUrl(location, current).href;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new HarvestFetchError(`${current} answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > options.maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw tooLarge(current, options.maxBytes);
    }
    try {
      const body = await readLimited(res, current, options.maxBytes);
      return { url: current, contentType: res.headers.get('content-type') ?? '', body };
    } catch (err) {
      throw failed(err);
    }
  }
}

const tooLarge = (url: string, max: number) =>
  new HarvestLimitError(`the answer of ${url} is larger than the limit of ${max} bytes`);

async function readLimited(res: Response, url: string, maxBytes: number): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
