import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config, SecretValues } from './config.ts';

const FILE = 'secrets.json';

interface StoredSecrets {
  encryptionKey: string;
  blindIndexKey: string;
  signingKeyPem: string;
}

/**
 * Returns the secrets given in the configuration, generating the missing ones on first start into
 * `<dataDir>/secrets.json` (mode 0600). Losing that file makes encrypted identifiers unreadable,
 * which is why backups include it and why it is never regenerated once written.
 */
export function loadSecrets(config: Config): SecretValues {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const file = path.join(config.dataDir, FILE);
  let stored: Partial<StoredSecrets> = {};
  if (fs.existsSync(file)) {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredSecrets;
    const mode = fs.statSync(file).mode & 0o777;
    if (mode !== 0o600) fs.chmodSync(file, 0o600);
  }
  const given = config.secrets;
  const fresh: StoredSecrets = {
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString('base64'),
    blindIndexKey: stored.blindIndexKey ?? randomBytes(32).toString('base64'),
    signingKeyPem:
      stored.signingKeyPem ??
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
  const needWrite = Object.keys(fresh).some((k) => stored[k as keyof StoredSecrets] === undefined);
  if (needWrite) {
    // Write then rename so a crash never leaves a half-written key file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  return {
    encryptionKey: given.encryptionKey ?? Buffer.from(fresh.encryptionKey, 'base64'),
    blindIndexKey: given.blindIndexKey ?? Buffer.from(fresh.blindIndexKey, 'base64'),
    signingKeyPem: given.signingKeyPem ?? fresh.signingKeyPem,
  };
}

/** Fresh in-memory secrets, for tests and benchmarks that must not touch a data directory. */
export function ephemeralSecrets(): SecretValues {
  return {
    encryptionKey: randomBytes(32),
    blindIndexKey: randomBytes(32),
    signingKeyPem: generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  };
}
