import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInternalAddress } from './harvest-address.ts';
import { fetchLimited } from './harvest-fetch.ts';

describe('internal addresses', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    '::ffff:127.0.0.1',
  ])('%s is internal', (ip) => expect(isInternalAddress(ip)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:db8::1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is not',
    (ip) => expect(isInternalAddress(ip)).toBe(false),
  );
});

describe('the harvester refuses internal addresses unless allowed', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const options = (allowInternal: boolean) => ({
    accept: 'application/json',
    maxBytes: 1024,
    signal: AbortSignal.timeout(5000),
    allowInternal,
  });

  it('refuses a source on loopback by default, and reads it when the operator allows it', async () => {
    await expect(fetchLimited(`${base}/`, options(false))).rejects.toThrow(
      /inside the network.*CIVITAS_HARVEST_ALLOW_INTERNAL/,
    );
    await expect(fetchLimited('http://localhost:9/', options(false))).rejects.toThrow(
      /inside the network.*CIVITAS_HARVEST_ALLOW_INTERNAL/,
    );
    const fetched = await fetchLimited(`${base}/`, options(true));
    expect(fetched.body.toString()).toBe('{"success":true}');
  });
});
