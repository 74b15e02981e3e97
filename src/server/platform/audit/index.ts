export { type AuditActor, type AuditEvent, appendAudit, auditRowOf, SYSTEM_ACTOR } from './audit-append.ts';
// Other hash chains (the exchange's access log) walk themselves with the same checks.
export { ChainWalker, recomputedHash } from './audit-chain-walk.ts';
export { type Checkpoint, checkpointIfNeeded, startCheckpointTimer } from './audit-checkpoint.ts';
export {
  canonicalBody,
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  hashedFieldsOf,
  storedBody,
} from './audit-hash.ts';
export { bodyOf, sequenceAudit } from './audit-sequencer.ts';
export { AuditSigner, keyIdOf } from './audit-signer.ts';
export {
  type AuditProblem,
  type AuditProblemKind,
  type VerifyOptions,
  type VerifyResult,
  verifyAuditLog,
} from './audit-verify.ts';
export { endAgainstHead, problemAtBreak } from './chain-ending.ts';
export { type ChainedLog, type SequenceOptions, sequenceChain } from './chain-sequencer.ts';
