import path from 'node:path';
import { IDENTIFIER_RELEASE_NOTICE_DAYS } from '../../contracts/identity.ts';

/** Everything the server needs to know, parsed once at boot. Nothing else reads process.env. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL connection string; undefined means the embedded PGlite database in dataDir. */
  databaseUrl: string | undefined;
  publicUrl: string | undefined;
  trustProxy: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the demo city when the database has no departments yet. */
  demoOnEmpty: boolean;
  /** Staff must enrol a second factor before using the console. */
  requireStaffMfa: boolean;
  sessionTtlHours: number;
  loginMaxFailures: number;
  lockoutMinutes: number;
  rateLimitPerMinute: number;
  auditCheckpointEvery: number;
  auditCheckpointSeconds: number;
  /** Secrets given through the environment; missing ones are generated into dataDir (see secrets.ts). */
  secrets: Partial<SecretValues>;
  redisUrl: string | undefined;
  /** Largest accepted file upload, in bytes. */
  maxUploadBytes: number;
  /** Where uploaded files are kept (default: <dataDir>/files). */
  filesDir: string;
  /** Cache public catalog search results until the next catalog change. */
  searchCache: boolean;
  /** Answer public catalog searches from the in-memory mirror of the search index. */
  searchMirror: boolean;
  /** Let harvesting reach loopback, private and link-local addresses (sources inside the network). */
  harvestAllowInternal: boolean;
  /** Let exchange webhooks reach loopback, private and link-local addresses (subscribers inside the network). */
  exchangeWebhookAllowPrivate: boolean;
  /** DataStore versions kept per distribution (older version tables are dropped). */
  datastoreKeepVersions: number;
  /** Largest file the DataStore loads from a path (the CLI); uploads are bound by maxUploadBytes. */
  datastoreMaxFileBytes: number;
  /** Statement timeout of datastore_search_sql, in milliseconds. */
  datastoreSqlTimeoutMs: number;
  /** Replace loads of UTF-8 delimited files on PostgreSQL read and typed by Civitas (typed-load/), not staged as text. */
  datastoreTypedLoad: boolean;
  /** Working days the owner has to decide a conditional exchange request. */
  exchangeDecisionDays: number;
  /** Days a finished file extract of a grant stays downloadable before it expires and its file is deleted. */
  exchangeExtractDays: number;
  /** Gateway calls per minute a grant allows unless its decision set another figure. */
  exchangeDefaultRatePerMinute: number;
  /** Longest an exchange grant may run (requests, approvals and renewals), in days. */
  exchangeMaxGrantDays: number;
  /** Days between a counter's request to release an ID number from an unverified account and its effect. */
  identifierReleaseNoticeDays: number;
}

export interface SecretValues {
  /** 32 bytes, AES-256-GCM key for personal identifiers. */
  encryptionKey: Buffer;
  /** 32 bytes, HMAC-SHA256 key for blind indexes of identifiers. */
  blindIndexKey: Buffer;
  /** Ed25519 private key (PKCS#8 PEM) signing audit checkpoints. */
  signingKeyPem: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Flags given on the command line win over the environment. */
export interface ConfigFlags {
  port?: string | number;
  host?: string;
  dataDir?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses flags and environment; throws ConfigError listing every problem at once. */
export function loadConfig(flags: ConfigFlags = {}, env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (
    name: string,
    raw: string | number | undefined,
    fallback: number,
    min: number,
    max: number,
  ) => {
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (name: string, raw: string | undefined, fallback: boolean) => {
    if (raw === undefined || raw === '') return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  };
  const key32 = (name: string, raw: string | undefined): Buffer | undefined => {
    if (!raw) return undefined;
    const buf = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (buf.length !== 32) {
      problems.push(`${name} must be 32 bytes, as 64 hex characters or base64`);
      return undefined;
    }
    return buf;
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const publicUrl = env.CIVITAS_PUBLIC_URL || undefined;
  if (publicUrl) {
    try {
      new URL(publicUrl);
    } catch {
      problems.push(`CIVITAS_PUBLIC_URL is not a valid URL (got "${publicUrl}")`);
    }
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis://');

  const logLevel = (env.CIVITAS_LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`CIVITAS_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  let signingKeyPem: string | undefined;
  if (env.CIVITAS_SIGNING_KEY) {
    signingKeyPem = env.CIVITAS_SIGNING_KEY.replace(/\\n/g, '\n');
    if (!signingKeyPem.includes('BEGIN PRIVATE KEY')) {
      problems.push('CIVITAS_SIGNING_KEY must be an Ed25519 private key in PKCS#8 PEM form');
    }
  }

  const config: Config = {
    host: flags.host ?? env.CIVITAS_HOST ?? '0.0.0.0',
    port: int('port (--port / PORT)', flags.port ?? env.PORT, 8080, 0, 65535),
    dataDir: path.resolve(flags.dataDir ?? env.CIVITAS_DATA_DIR ?? './data'),
    databaseUrl,
    publicUrl,
    trustProxy: bool('CIVITAS_TRUST_PROXY', env.CIVITAS_TRUST_PROXY, false),
    logLevel,
    demoOnEmpty: bool('CIVITAS_DEMO', env.CIVITAS_DEMO, true),
    requireStaffMfa: bool('CIVITAS_REQUIRE_STAFF_MFA', env.CIVITAS_REQUIRE_STAFF_MFA, false),
    sessionTtlHours: int('CIVITAS_SESSION_TTL_HOURS', env.CIVITAS_SESSION_TTL_HOURS, 12, 1, 24 * 30),
    loginMaxFailures: int('CIVITAS_LOGIN_MAX_FAILURES', env.CIVITAS_LOGIN_MAX_FAILURES, 5, 1, 100),
    lockoutMinutes: int('CIVITAS_LOCKOUT_MINUTES', env.CIVITAS_LOCKOUT_MINUTES, 15, 1, 24 * 60),
    rateLimitPerMinute: int('CIVITAS_RATE_LIMIT', env.CIVITAS_RATE_LIMIT, 600, 1, 1_000_000),
    auditCheckpointEvery: int(
      'CIVITAS_AUDIT_CHECKPOINT_EVERY',
      env.CIVITAS_AUDIT_CHECKPOINT_EVERY,
      1000,
      1,
      1e9,
    ),
    auditCheckpointSeconds: int(
      'CIVITAS_AUDIT_CHECKPOINT_SECONDS',
      env.CIVITAS_AUDIT_CHECKPOINT_SECONDS,
      300,
      1,
      86400,
    ),
    secrets: {
      encryptionKey: key32('CIVITAS_ENCRYPTION_KEY', env.CIVITAS_ENCRYPTION_KEY),
      blindIndexKey: key32('CIVITAS_BLIND_INDEX_KEY', env.CIVITAS_BLIND_INDEX_KEY),
      signingKeyPem,
    },
    redisUrl,
    maxUploadBytes:
      int('CIVITAS_MAX_UPLOAD_MB', env.CIVITAS_MAX_UPLOAD_MB, 512, 1, 1024 * 1024) * 1024 * 1024,
    filesDir: '',
    searchCache: bool('CIVITAS_SEARCH_CACHE', env.CIVITAS_SEARCH_CACHE, true),
    searchMirror: bool('CIVITAS_SEARCH_MIRROR', env.CIVITAS_SEARCH_MIRROR, true),
    harvestAllowInternal: bool('CIVITAS_HARVEST_ALLOW_INTERNAL', env.CIVITAS_HARVEST_ALLOW_INTERNAL, false),
    exchangeWebhookAllowPrivate: bool(
      'CIVITAS_EXCHANGE_WEBHOOK_ALLOW_PRIVATE',
      env.CIVITAS_EXCHANGE_WEBHOOK_ALLOW_PRIVATE,
      false,
    ),
    datastoreKeepVersions: int(
      'CIVITAS_DATASTORE_KEEP_VERSIONS',
      env.CIVITAS_DATASTORE_KEEP_VERSIONS,
      5,
      1,
      1000,
    ),
    datastoreMaxFileBytes:
      int('CIVITAS_DATASTORE_MAX_FILE_MB', env.CIVITAS_DATASTORE_MAX_FILE_MB, 8192, 1, 1024 * 1024) *
      1024 *
      1024,
    datastoreSqlTimeoutMs: int(
      'CIVITAS_DATASTORE_SQL_TIMEOUT_MS',
      env.CIVITAS_DATASTORE_SQL_TIMEOUT_MS,
      10_000,
      100,
      600_000,
    ),
    datastoreTypedLoad: bool('CIVITAS_DATASTORE_TYPED_LOAD', env.CIVITAS_DATASTORE_TYPED_LOAD, true),
    exchangeDecisionDays: int('CIVITAS_EXCHANGE_DECISION_DAYS', env.CIVITAS_EXCHANGE_DECISION_DAYS, 5, 1, 60),
    exchangeExtractDays: int('CIVITAS_EXCHANGE_EXTRACT_DAYS', env.CIVITAS_EXCHANGE_EXTRACT_DAYS, 7, 1, 90),
    exchangeDefaultRatePerMinute: int(
      'CIVITAS_EXCHANGE_DEFAULT_RATE_PER_MINUTE',
      env.CIVITAS_EXCHANGE_DEFAULT_RATE_PER_MINUTE,
      600,
      1,
      600_000,
    ),
    exchangeMaxGrantDays: int(
      'CIVITAS_EXCHANGE_MAX_GRANT_DAYS',
      env.CIVITAS_EXCHANGE_MAX_GRANT_DAYS,
      365,
      1,
      1095,
    ),
    identifierReleaseNoticeDays: int(
      'CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS',
      env.CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS,
      IDENTIFIER_RELEASE_NOTICE_DAYS,
      1,
      90,
    ),
  };
  config.filesDir = path.resolve(env.CIVITAS_FILES_DIR || path.join(config.dataDir, 'files'));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * The process environment, for the two places that must hand it on rather than parse it: the CLI
 * entry (to loadConfig) and child processes such as pg_dump (which inherit it, plus PGPASSWORD).
 */
export const processEnvironment = (): NodeJS.ProcessEnv => process.env;

/** Test and bench helper: the settings of the process, for code that must pick the same engine as the suite. */
export function testDatabaseUrl(env: Env = process.env): string | undefined {
  return env.DATABASE_URL || undefined;
}
