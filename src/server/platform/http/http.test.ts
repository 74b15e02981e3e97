import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/test-context.ts';
import { buildApp } from '../../app.ts';
import { AppError } from '../errors.ts';

// The platform's HTTP behaviour every module relies on: health, OpenAPI, headers, request ids,
// one error format, rate limits.

let ctx: TestContext;
let app: FastifyInstance;

beforeAll(async () => {
  ctx = await createTestContext({ rateLimitPerMinute: 50 });
  app = await buildApp(ctx, { logger: false });
  // Routes that fail on purpose, to see what the one error handler makes of each kind of failure.
  app.get('/api/test/boom', { schema: { hide: true } }, async () => {
    throw new Error('connection string postgres://secret@db leaked');
  });
  app.get('/api/test/app-error', { schema: { hide: true } }, async () => {
    throw new AppError('test.thing_missing', 404, 'The thing is missing', { thing: 'x' });
  });
  app.post(
    '/api/test/echo',
    {
      schema: {
        hide: true,
        body: Type.Object({ n: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      },
    },
    async (request) => request.body,
  );
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await ctx.dispose();
});

describe('health', () => {
  it('answers liveness and readiness with the engine', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', engine: ctx.engine });
  });
});

describe('OpenAPI', () => {
  it('serves an OpenAPI 3 document of the real routes, with both ways to authenticate', async () => {
    const res = await app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/me', '/api/departments', '/api/audit']),
    );
    expect(doc.paths['/api/test/boom']).toBeUndefined();
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['bearer', 'session']);
    expect((await app.inject({ url: '/api/docs/' })).statusCode).toBe(200);
  });
});

describe('headers', () => {
  it('sets security headers on every response', async () => {
    const res = await app.inject({ url: '/api/departments' });
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('echoes a sane caller request id and replaces an unsafe one', async () => {
    const given = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-1234.abc' } });
    expect(given.headers['x-request-id']).toBe('lb-1234.abc');
    const unsafe = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id\r\nx: y' } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await app.inject({ url: '/healthz' });
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('errors', () => {
  it('hides the text of unexpected errors behind a stable code and the request id', async () => {
    const res = await app.inject({ url: '/api/test/boom', headers: { 'x-request-id': 'trace-1' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      error: { code: 'internal', message: expect.any(String), requestId: 'trace-1' },
    });
    expect(res.body).not.toContain('secret');
  });

  it('renders application errors with their code, status and details', async () => {
    const res = await app.inject({ url: '/api/test/app-error' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'test.thing_missing', details: { thing: 'x' } });
  });

  it('names the fields that fail validation', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { n: 0, extra: true } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('validation.failed');
    expect(res.json().error.details.fields.length).toBeGreaterThan(0);
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: '{"n": 1',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('http.bad_request');
  });

  it('refuses oversized bodies with a clear code', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/test/echo',
      payload: JSON.stringify({ n: 1, pad: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('http.body_too_large');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await app.inject({ url: '/api/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('http.not_found');
  });
});

describe('rate limits', () => {
  it('answers 429 with a stable code once a client exceeds its budget, but never limits health checks', async () => {
    const from = { remoteAddress: '203.0.113.9' };
    const statuses: number[] = [];
    for (let i = 0; i < 55; i++)
      statuses.push((await app.inject({ url: '/api/departments', ...from })).statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    const limited = await app.inject({ url: '/api/departments', ...from });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('http.rate_limited');
    expect((await app.inject({ url: '/healthz', ...from })).statusCode).toBe(200);
  });
});
