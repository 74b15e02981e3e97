import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/** AES-256-GCM field encryption: "v1." + base64url(iv ‖ tag ‖ ciphertext). The version prefix allows key rotation. */
export class FieldCipher {
  // Imported once: createHmac with a raw Buffer imports the key on every call, several times slower
  // (blind indexes are computed per row the exchange gateway returns).
  readonly #indexKey: KeyObject;

  constructor(
    private readonly key: Buffer,
    indexKey: Buffer,
  ) {
    if (key.length !== 32 || indexKey.length !== 32) throw new Error('FieldCipher needs two 32-byte keys');
    this.#indexKey = createSecretKey(indexKey);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith('v1.')) throw new Error('Unknown ciphertext version');
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /**
   * Keyed blind index (HMAC-SHA256) for exact lookup of an encrypted identifier. The domain
   * separates kinds so that equal strings of different kinds do not collide.
   */
  blindIndex(domain: string, value: string): string {
    return createHmac('sha256', this.#indexKey).update(`${domain}\u0000${value}`).digest('base64url');
  }
}

/** sha256 hex of a string. */
export const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

/** A random URL-safe secret of n bytes. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
