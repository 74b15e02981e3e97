import { hash, verify } from '@node-rs/argon2';
import { type PasswordReason, passwordProblems } from '../../../contracts/password-policy.ts';
import { AppError } from '../../platform/errors.ts';

// argon2id with the OWASP baseline (19 MiB, 2 passes, 1 lane): the library's defaults, written out so
// that a change of library defaults cannot silently weaken new hashes. algorithm 2 = Argon2id
// (the package exports it as a const enum, which isolated modules cannot import).
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** An argon2id PHC string for the password. */
export const hashPassword = (password: string) => hash(password, OPTIONS);

/** True when the password matches the stored hash; a malformed hash counts as a mismatch. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same work as a real verification, for sign-ins naming an unknown user: otherwise the
 * response time would tell an attacker which usernames exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  decoy ??= hashPassword('civitas-decoy-password');
  await verifyPassword(await decoy, password);
}

/** Throws 400 identity.weak_password with details.reasons when the password breaks the policy. */
export function assertStrongPassword(password: string, username: string): void {
  const reasons: PasswordReason[] = passwordProblems(password, username);
  if (reasons.length > 0) {
    throw new AppError('identity.weak_password', 400, 'The password does not meet the password policy', {
      reasons,
    });
  }
}
