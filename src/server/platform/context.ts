import { AuditSigner } from './audit/index.ts';
import type { Config, SecretValues } from './config.ts';
import { FieldCipher } from './crypto.ts';
import type { DatabaseHandle, Db, Engine } from './db.ts';
import { FileStore } from './storage/file-store.ts';

/** What every service needs, built once per process (or per test app) and passed down explicitly. */
export interface AppContext {
  config: Config;
  db: Db;
  engine: Engine;
  database: DatabaseHandle;
  secrets: SecretValues;
  cipher: FieldCipher;
  signer: AuditSigner;
  files: FileStore;
}

export function createContext(config: Config, database: DatabaseHandle, secrets: SecretValues): AppContext {
  return {
    config,
    db: database.db,
    engine: database.engine,
    database,
    secrets,
    cipher: new FieldCipher(secrets.encryptionKey, secrets.blindIndexKey),
    signer: new AuditSigner(secrets.signingKeyPem),
    files: new FileStore(config.filesDir, config.maxUploadBytes),
  };
}
