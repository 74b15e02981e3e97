import type { IncomingHttpHeaders } from 'node:http';
import { randomToken, sha256Hex } from '../../platform/crypto.ts';

// The credential a grantee's system calls the gateway with: "cvx_" + 32 random bytes. Only its
// sha256 is stored (exchange_grants.credential_hash); the first characters are kept to tell
// credentials apart in lists. Issuing a new one replaces the old at once.

const PREFIX = 'cvx_';

/** A fresh credential, its stored hash and its display prefix. */
export function newCredential(): { credential: string; hash: string; prefix: string } {
  const credential = `${PREFIX}${randomToken(32)}`;
  return { credential, hash: hashCredential(credential), prefix: credential.slice(0, PREFIX.length + 6) };
}

export const hashCredential = (credential: string) => sha256Hex(credential);

/**
 * The credential a request carries, as X-Road members' systems and CKAN clients send keys:
 * `Authorization: Bearer cvx_…`, `Authorization: cvx_…` or `X-Civitas-Credential: cvx_…`.
 */
export function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const explicit = headers['x-civitas-credential'];
  if (typeof explicit === 'string' && explicit.startsWith(PREFIX)) return explicit.trim();
  const auth = headers.authorization?.trim();
  if (!auth) return undefined;
  const value = auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : auth;
  return value.startsWith(PREFIX) ? value : undefined;
}
