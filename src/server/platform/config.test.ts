import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { loadSecrets } from './secrets.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const config = loadConfig({}, {});
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: undefined,
      demoOnEmpty: true,
      loginMaxFailures: 5,
    });
    expect(path.isAbsolute(config.dataDir)).toBe(true);
  });

  it('reads the notice period of an ID-number release, 14 days unless set, 1 to 90', () => {
    expect(loadConfig({}, {}).identifierReleaseNoticeDays).toBe(14);
    expect(loadConfig({}, { CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS: '30' }).identifierReleaseNoticeDays).toBe(
      30,
    );
    for (const bad of ['0', '91', '7.5', 'two weeks']) {
      expect(() => loadConfig({}, { CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS: bad })).toThrow(
        /CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS must be an integer between 1 and 90/,
      );
    }
  });

  it('lets flags win over the environment', () => {
    const config = loadConfig(
      { port: '9000', dataDir: '/tmp/x' },
      { PORT: '7000', CIVITAS_DATA_DIR: '/tmp/y' },
    );
    expect(config.port).toBe(9000);
    expect(config.dataDir).toBe('/tmp/x');
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig(
        {},
        {
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          CIVITAS_DEMO: 'perhaps',
          CIVITAS_ENCRYPTION_KEY: 'short',
          CIVITAS_LOG_LEVEL: 'loud',
          CIVITAS_SIGNING_KEY: 'not a key',
        },
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'port',
      'DATABASE_URL',
      'CIVITAS_DEMO',
      'CIVITAS_ENCRYPTION_KEY',
      'CIVITAS_LOG_LEVEL',
      'CIVITAS_SIGNING_KEY',
    ]) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(6);
  });

  it('accepts 32-byte keys in hex or base64', () => {
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({}, { CIVITAS_ENCRYPTION_KEY: hex, CIVITAS_BLIND_INDEX_KEY: b64 });
    expect(config.secrets.encryptionKey?.length).toBe(32);
    expect(config.secrets.blindIndexKey?.equals(Buffer.alloc(32, 7))).toBe(true);
  });

  it('reads the exchange settings and bounds them', () => {
    expect(loadConfig({}, {})).toMatchObject({
      exchangeDecisionDays: 5,
      exchangeExtractDays: 7,
      exchangeDefaultRatePerMinute: 600,
      exchangeMaxGrantDays: 365,
    });
    expect(
      loadConfig(
        {},
        {
          CIVITAS_EXCHANGE_DECISION_DAYS: '10',
          CIVITAS_EXCHANGE_EXTRACT_DAYS: '30',
          CIVITAS_EXCHANGE_DEFAULT_RATE_PER_MINUTE: '60',
          CIVITAS_EXCHANGE_MAX_GRANT_DAYS: '730',
        },
      ),
    ).toMatchObject({
      exchangeDecisionDays: 10,
      exchangeExtractDays: 30,
      exchangeDefaultRatePerMinute: 60,
      exchangeMaxGrantDays: 730,
    });
    let error: unknown;
    try {
      loadConfig(
        {},
        {
          CIVITAS_EXCHANGE_DECISION_DAYS: '0',
          CIVITAS_EXCHANGE_EXTRACT_DAYS: '91',
          CIVITAS_EXCHANGE_MAX_GRANT_DAYS: '2000',
        },
      );
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.join('\n')).toMatch(
      /CIVITAS_EXCHANGE_DECISION_DAYS.*\n.*CIVITAS_EXCHANGE_EXTRACT_DAYS.*\n.*CIVITAS_EXCHANGE_MAX_GRANT_DAYS/,
    );
  });
});

describe('loadSecrets', () => {
  it('generates missing secrets once, with mode 0600, and keeps them across starts', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-secrets-'));
    const config = loadConfig({ dataDir }, {});
    const first = loadSecrets(config);
    const file = path.join(dataDir, 'secrets.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const second = loadSecrets(config);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(second.signingKeyPem).toBe(first.signingKeyPem);
    expect(first.encryptionKey.length).toBe(32);
  });

  it('prefers secrets given in the environment', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-secrets-'));
    const key = Buffer.alloc(32, 9);
    const secrets = loadSecrets(loadConfig({ dataDir }, { CIVITAS_ENCRYPTION_KEY: key.toString('hex') }));
    expect(secrets.encryptionKey.equals(key)).toBe(true);
  });
});
