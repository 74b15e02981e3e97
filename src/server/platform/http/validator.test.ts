import Fastify from 'fastify';
import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatorCompiler } from './validator.ts';

const Query = Type.Object({
  q: Type.Optional(Type.String()),
  limit: Type.Optional(Type.Integer({ minimum: 1 })),
  flag: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Type.Array(Type.String())),
});
const Body = Type.Object({ n: Type.Integer() });

const app = Fastify();
beforeAll(async () => {
  app.setValidatorCompiler(validatorCompiler);
  app.get('/q', { schema: { querystring: Query } }, async (request) => ({ query: request.query }));
  app.post('/b', { schema: { body: Body } }, async (request) => ({ body: request.body }));
  await app.ready();
});
afterAll(() => app.close());

describe('route validation', () => {
  it('takes a query that fits as it is, without converting it', async () => {
    const res = await app.inject({ url: '/q?q=%E7%A9%BA%E6%B0%94' });
    expect(res.json()).toEqual({ query: { q: '空气' } });
    // Conversion writes each property back; checking only reads.
    const validate = validatorCompiler({ schema: Query, httpPart: 'querystring', method: 'GET', url: '/q' });
    const written: string[] = [];
    const track = (value: Record<string, unknown>) =>
      new Proxy(value, {
        set: (target, key, v) => {
          written.push(String(key));
          return Reflect.set(target, key, v);
        },
      });
    const fits = track({ q: 'x', tags: ['a', 'b'] });
    expect(validate(fits)).toEqual({ value: fits });
    expect(written).toEqual([]);
    expect(validate(track({ limit: '7' }))).toEqual({ value: { limit: 7 } });
    expect(written).toEqual(['limit']);
  });

  it('converts numbers, booleans and single array values given as text', async () => {
    const res = await app.inject({ url: '/q?q=5&limit=20&flag=true&tags=a' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ query: { q: '5', limit: 20, flag: true, tags: ['a'] } });
  });

  it('refuses what no conversion makes fit', async () => {
    expect((await app.inject({ url: '/q?limit=abc' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/q?limit=0' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/q?flag=maybe' })).statusCode).toBe(400);
  });

  it('never converts a body', async () => {
    expect((await app.inject({ method: 'POST', url: '/b', payload: { n: 5 } })).json()).toEqual({
      body: { n: 5 },
    });
    expect((await app.inject({ method: 'POST', url: '/b', payload: { n: '5' } })).statusCode).toBe(400);
  });
});
