import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { TestClient } from '../../../../../test/support/test-app.ts';
import type { HarvestRunDto, HarvestSourceDto } from '../../../../contracts/harvest.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { Worker } from '../../../platform/jobs/index.ts';
import { STRONG_PASSWORD, uniqueName } from '../../identity/identity.test-helpers.ts';
import { createApiToken, createStaff } from '../../identity/index.ts';
import { tokenClient } from '../catalog.test-helpers.ts';
import { harvestJobHandlers } from './harvest.jobs.ts';

// Harvest test support: a platform admin's client, a worker that runs harvest jobs, a local HTTP
// server whose answers a test scripts, and a wait for a run's end.

/** A client of a new platform admin (staff of the department), with an API token. */
export async function platformAdminClient(ctx: AppContext, app: FastifyInstance, departmentId: string) {
  const system = systemActor('harvest-test');
  const person = await createStaff(ctx, system, {
    username: uniqueName('hadmin'),
    displayName: 'Harvest admin',
    password: STRONG_PASSWORD,
    departmentId,
    roles: [],
    isPlatformAdmin: true,
  });
  const { token } = await createApiToken(ctx, system, person.id, { name: 'harvest test' });
  return tokenClient(app, token);
}

/** A worker running harvest jobs on this context, polling often. */
export const harvestWorker = (ctx: AppContext) =>
  new Worker(ctx, { ...harvestJobHandlers }, { pollMs: 25, leaseMs: 5000, concurrency: 2 }).start();

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

/** A local HTTP server answering by path prefix; `requests` counts what it was asked. */
export class ScriptedServer {
  readonly routes = new Map<string, Handler>();
  readonly requests: string[] = [];
  private readonly server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(url.pathname + url.search);
    const entry = [...this.routes.entries()].find(([prefix]) => url.pathname.startsWith(prefix));
    if (!entry) {
      res.writeHead(404).end('not found');
      return;
    }
    Promise.resolve(entry[1](req, res, url)).catch(() => res.destroy());
  });
  url = '';

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  on(prefix: string, handler: Handler): this {
    this.routes.set(prefix, handler);
    return this;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Registers a source through the API; returns it. */
export async function createSourceVia(
  client: TestClient,
  body: Record<string, unknown>,
): Promise<HarvestSourceDto> {
  const res = await client.post('/api/catalog/harvest/sources', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Asks for a run through the API and waits until a worker has finished it. */
export async function runVia(
  client: TestClient,
  sourceId: string,
  timeoutMs = 30_000,
): Promise<HarvestRunDto> {
  const res = await client.post(`/api/catalog/harvest/sources/${sourceId}/run`);
  expect(res.statusCode, res.body).toBe(202);
  return waitForRun(client, res.json().run.id, timeoutMs);
}

/** Polls a run's log until it has ended. */
export async function waitForRun(
  client: TestClient,
  runId: string,
  timeoutMs = 30_000,
): Promise<HarvestRunDto> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.get(`/api/catalog/harvest/runs/${runId}`);
    expect(res.statusCode, res.body).toBe(200);
    const run: HarvestRunDto = res.json();
    if (run.status !== 'queued' && run.status !== 'running') return run;
    if (Date.now() > until) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 40));
  }
}
