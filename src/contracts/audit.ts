import { type Static, Type } from 'typebox';

// API shapes of the audit routes not already in src/contracts/identity.ts (checkpoints, public key),
// shared by the server routes and the web app's audit viewer.

export const CheckpointSchema = Type.Object({
  seq: Type.Integer(),
  hash: Type.String(),
  at: Type.String(),
  keyId: Type.String(),
  /** Ed25519 over `civitas-audit-checkpoint/v1\n<seq>\n<hash>\n<at ISO>`, base64. */
  signature: Type.String(),
});
export type CheckpointDto = Static<typeof CheckpointSchema>;

export const ListCheckpointsQuery = Type.Object({
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
export const CheckpointPage = Type.Object({
  items: Type.Array(CheckpointSchema),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type CheckpointPageDto = Static<typeof CheckpointPage>;

export const AuditKeySchema = Type.Object({
  keyId: Type.String(),
  algorithm: Type.Literal('Ed25519'),
  publicKeyPem: Type.String(),
  jwk: Type.Object({
    kty: Type.Literal('OKP'),
    crv: Type.Literal('Ed25519'),
    x: Type.String(),
    kid: Type.String(),
  }),
});
export type AuditKeyDto = Static<typeof AuditKeySchema>;
