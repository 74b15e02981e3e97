import { randomUUID } from 'node:crypto';
import {
  maskIdentifier,
  normalizeIdentifier,
  residentIdProblem,
  usccProblem,
} from '../../../contracts/identifiers.ts';
import { type PersonDto, RegisterBody, type RegisterInput } from '../../../contracts/identity.ts';
import type { AppContext } from '../../platform/context.ts';
import type { NewPerson } from '../../platform/db-schema.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import { isUniqueViolation, type RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { audit } from './identity.audit.ts';
import { assertStrongPassword, hashPassword } from './password.ts';
import { insertPerson, residentIdIndexExists, usernameExists } from './people.repository.ts';
import { loadPersonDto, normalizeUsername, usernameTaken } from './people.service.ts';

const residentIdTaken = () =>
  conflict(
    'identity.resident_id_taken',
    'An account with this resident ID exists; sign in or reset your password',
  );

/**
 * The identifier columns of a new account: AES-GCM ciphertext, keyed blind index (uniqueness and
 * lookup without decrypting) and the mask views show. Validates the checksum first.
 */
function identifierColumns(ctx: AppContext, input: RegisterInput): Partial<NewPerson> {
  if (input.kind === 'citizen') {
    const value = normalizeIdentifier(input.residentId ?? '');
    const problem = value ? residentIdProblem(value) : 'missing';
    if (problem) {
      throw invalid('identity.invalid_resident_id', 'The resident ID is not valid', { reason: problem });
    }
    return {
      resident_id_enc: ctx.cipher.encrypt(value),
      resident_id_bidx: ctx.cipher.blindIndex('resident_id', value),
      resident_id_masked: maskIdentifier(value),
    };
  }
  const value = normalizeIdentifier(input.uscc ?? '');
  const problem = value ? usccProblem(value) : 'missing';
  if (problem)
    throw invalid('identity.invalid_uscc', 'The unified social credit code is not valid', {
      reason: problem,
    });
  const companyName = input.companyName?.trim();
  if (!companyName) {
    throw invalid('identity.company_name_required', 'Business accounts need the company name', {
      field: 'companyName',
    });
  }
  return {
    uscc_enc: ctx.cipher.encrypt(value),
    uscc_bidx: ctx.cipher.blindIndex('uscc', value),
    uscc_masked: maskIdentifier(value),
    company_name: companyName,
  };
}

/**
 * Self-registration of a citizen (resident ID, GB 11643) or business user (USCC, GB 32100). Several
 * people may act for one company, so the USCC is not unique; a resident ID belongs to one account.
 */
export async function registerPerson(
  ctx: AppContext,
  input: RegisterInput,
  meta?: RequestMeta,
): Promise<PersonDto> {
  assertValid(RegisterBody, input);
  const username = normalizeUsername(input.username);
  const columns = identifierColumns(ctx, input);
  assertStrongPassword(input.password, username);
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      if (await usernameExists(trx, username)) throw usernameTaken();
      if (columns.resident_id_bidx && (await residentIdIndexExists(trx, columns.resident_id_bidx)))
        throw residentIdTaken();
      await insertPerson(trx, {
        id,
        username,
        kind: input.kind,
        display_name: input.displayName.trim(),
        email: input.email ?? null,
        password_hash: passwordHash,
        ...columns,
      });
      await audit(trx, { id, label: username }, meta, {
        action: 'identity.register',
        target: { type: 'person', id },
        details: { kind: input.kind },
      });
      const dto = await loadPersonDto(trx, id);
      if (!dto) throw new Error('person vanished inside its own transaction');
      return dto;
    });
  } catch (err) {
    if (isUniqueViolation(err, 'resident_id_bidx')) throw residentIdTaken();
    if (isUniqueViolation(err)) throw usernameTaken();
    throw err;
  }
}
