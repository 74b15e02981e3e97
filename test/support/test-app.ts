import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import type { Config } from '../../src/server/platform/config.ts';
import type { AppContext } from '../../src/server/platform/context.ts';
import { createTestContext, type TestContext } from './test-context.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: TestContext;
  close(): Promise<void>;
}

/** A full HTTP app on its own test database, driven with app.inject (no port needed). */
export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const ctx = await createTestContext(overrides);
  return readyApp(ctx, () => ctx.dispose());
}

/**
 * The app on `ctx`, ready for app.inject (`prepare` may register more first); close() closes it,
 * then runs `after` (dispose the database, close a pool).
 */
export async function readyApp<C extends AppContext>(
  ctx: C,
  after: () => Promise<void>,
  prepare?: (app: FastifyInstance) => Promise<void>,
): Promise<{ app: FastifyInstance; ctx: C; close(): Promise<void> }> {
  const app = await buildApp(ctx, { logger: false });
  await prepare?.(app);
  await app.ready();
  return {
    app,
    ctx,
    close: async () => {
      await app.close();
      await after();
    },
  };
}

/** A signed-in browser-like client: keeps the session cookie and sends the CSRF token on writes. */
export class TestClient {
  cookie: string | undefined;
  csrf: string | undefined;
  bearer: string | undefined;

  constructor(readonly app: FastifyInstance) {}

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const h: Record<string, string> = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.bearer) h.authorization = `Bearer ${this.bearer}`;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in headers)) h['x-csrf-token'] = this.csrf;
    const res = await this.app.inject({ method: method as 'GET', url, payload: body as object, headers: h });
    this.keepCookie(res);
    return res;
  }

  keepCookie(res: LightMyRequestResponse) {
    const set = res.cookies.find((c) => c.name === 'civitas_sid');
    if (set) this.cookie = set.value ? `civitas_sid=${set.value}` : undefined;
  }

  get = (url: string, headers?: Record<string, string>) => this.request('GET', url, undefined, headers);
  post = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('POST', url, body ?? {}, headers);
  patch = (url: string, body?: unknown, headers?: Record<string, string>) =>
    this.request('PATCH', url, body ?? {}, headers);
  delete = (url: string, headers?: Record<string, string>) => this.request('DELETE', url, undefined, headers);
}
