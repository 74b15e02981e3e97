import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/** Signs and checks audit checkpoints with Ed25519. The public key is served at /.well-known/civitas-audit-key. */
export class AuditSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  private readonly privateKey: KeyObject;

  constructor(privateKeyPem: string) {
    this.privateKey = createPrivateKey(privateKeyPem);
    if (this.privateKey.asymmetricKeyType !== 'ed25519')
      throw new Error('The audit signing key must be Ed25519');
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  sign(message: string): string {
    return sign(null, Buffer.from(message), this.privateKey).toString('base64');
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}

/** First 16 hex characters of sha256 over the raw SPKI public key. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** The exact bytes a checkpoint signature covers. */
export const checkpointMessage = (seq: number, hash: string, at: Date) =>
  `civitas-audit-checkpoint/v1\n${seq}\n${hash}\n${at.toISOString()}`;

export function verifyCheckpointSignature(
  publicKey: KeyObject,
  seq: number,
  hash: string,
  at: Date,
  signature: string,
): boolean {
  return verify(
    null,
    Buffer.from(checkpointMessage(seq, hash, at)),
    publicKey,
    Buffer.from(signature, 'base64'),
  );
}
