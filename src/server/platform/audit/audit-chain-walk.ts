import * as nodeCrypto from 'node:crypto';
import { GENESIS_HASH } from './audit-hash.ts';

export type AuditProblemKind = 'changed' | 'missing' | 'reordered' | 'truncated' | 'bad_checkpoint';

export interface AuditProblem {
  /** The first sequence number that cannot be trusted. */
  seq: number;
  kind: AuditProblemKind;
  message: string;
}

// One-shot hashing (Node ≥ 21.7) skips the Hash object that createHash() builds for every entry.
export const sha256Hex: (data: string | Uint8Array) => string =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => nodeCrypto.createHash('sha256').update(data).digest('hex');

/** The hash an entry must have, recomputed from its stored content (as entryHash, on the stored links). */
export const recomputedHash = (prevHash: string | null, seq: number, body: string): string =>
  sha256Hex(`${prevHash}\n${seq}\n${body}`);

/** Where the walk stopped: a problem known outright, or a broken link that needs the database to tell its kind. */
export type ChainBreak =
  | { kind: 'problem'; verified: number; problem: AuditProblem }
  | {
      kind: 'link';
      verified: number;
      seq: number;
      storedPrev: string;
      actualPrev: string;
      selfConsistent: boolean;
    };

/**
 * The chain checks of verification, fed one entry at a time in sequence order by whichever reader
 * fetched them (so every reader reports problems the same way): each entry must come next in
 * sequence, hash to its stored hash, link to the previous entry's hash, and match the signed
 * checkpoint at its sequence number if there is one.
 */
export class ChainWalker {
  /** The sequence number the next entry must have. */
  expected = 1;
  checkedCheckpoints = 0;
  break: ChainBreak | undefined;
  #prevHash = GENESIS_HASH;
  #lastPinned = 0;
  readonly #pinned: Map<number, string>;

  /** `pinned`: the hash each verified checkpoint signs, by sequence number. */
  constructor(pinned: Map<number, string>) {
    this.#pinned = pinned;
  }

  /**
   * Checks one entry, given the hash recomputed in Node from its stored content (recomputedHash()).
   * Returns false, with `break` set, at the first problem: everything after it is untrustworthy
   * anyway. (`prevHash` and `hash` are null only if someone nulled them: a break like any edit.)
   */
  step(seq: number, prevHash: string | null, hash: string | null, recomputed: string): boolean {
    const expected = this.expected;
    if (seq !== expected) {
      this.break = {
        kind: 'problem',
        verified: expected - 1,
        problem: {
          seq: expected,
          kind: 'missing',
          message: `entry ${expected} is missing (the log jumps from ${expected - 1} to ${seq})`,
        },
      };
      return false;
    }
    const selfConsistent = recomputed === hash;
    if (!selfConsistent || prevHash !== this.#prevHash) {
      this.break = {
        kind: 'link',
        verified: expected - 1,
        seq,
        storedPrev: prevHash as string,
        actualPrev: this.#prevHash,
        selfConsistent,
      };
      return false;
    }
    const pin = this.#pinned.get(seq);
    if (pin !== undefined) {
      if (pin !== hash) {
        // The rewrite is consistent in itself, so only the checkpoints bound where it starts.
        const from = this.#lastPinned;
        this.break = {
          kind: 'problem',
          verified: from,
          problem: {
            seq: from + 1,
            kind: 'changed',
            message: `entries ${from + 1} to ${seq} were rewritten and re-hashed: the chain no longer matches the signed checkpoint at ${seq}`,
          },
        };
        return false;
      }
      this.checkedCheckpoints++;
      this.#lastPinned = seq;
    }
    this.#prevHash = hash as string; // equal to the hash just computed
    this.expected = expected + 1;
    return true;
  }
}
