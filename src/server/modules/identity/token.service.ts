import { randomUUID } from 'node:crypto';
import { type ApiTokenDto, CreateTokenBody } from '../../../contracts/identity.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import { TOKEN_PREFIX, tokenHash } from '../../platform/auth/sessions.ts';
import type { AppContext } from '../../platform/context.ts';
import { randomToken } from '../../platform/crypto.ts';
import { conflict, forbidden, notFound } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { audit } from './identity.audit.ts';
import { canCreateTokenFor, canListAllTokens, canRevokeToken } from './identity.policy.ts';
import { toTokenDto } from './identity.presenter.ts';
import { findPersonView } from './people.repository.ts';
import { personNotFound } from './people.service.ts';
import {
  countLiveTokens,
  findTokenRow,
  insertToken,
  listAllTokens,
  listTokensOf,
  revokeTokenRow,
} from './token.repository.ts';

/** Live tokens per person: enough for every script a person runs, few enough to review. */
export const MAX_LIVE_TOKENS = 50;
/** Characters kept in clear (the "cvt_" prefix and 8 more) so a holder can tell tokens apart. */
const SHOWN_PREFIX = TOKEN_PREFIX.length + 8;

const tokenNotFound = () => notFound('identity.token_not_found', 'API token');

/**
 * Mints an API token for a person. The token is returned once; only its sha256 is stored.
 * No expiry when `expiresInDays` is null or absent.
 */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  personId: string,
  input: { name: string; expiresInDays?: number | null },
  meta?: RequestMeta,
): Promise<{ token: string; apiToken: ApiTokenDto }> {
  if (!canCreateTokenFor(actor, personId)) throw forbidden();
  assertValid(CreateTokenBody, input);
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const id = randomUUID();
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  return ctx.db.transaction().execute(async (trx) => {
    const person = await findPersonView(trx, personId);
    if (!person) throw personNotFound();
    if ((await countLiveTokens(trx, personId)) >= MAX_LIVE_TOKENS) {
      throw conflict(
        'identity.too_many_tokens',
        `At most ${MAX_LIVE_TOKENS} live API tokens per person; revoke unused ones`,
      );
    }
    await insertToken(trx, {
      id,
      personId,
      name: input.name,
      tokenHash: tokenHash(token),
      prefix: token.slice(0, SHOWN_PREFIX),
      expiresAt,
    });
    await audit(trx, actor, meta, {
      action: 'identity.token.create',
      target: { type: 'api_token', id },
      details: { personId, name: input.name, expiresAt: expiresAt?.toISOString() ?? null },
    });
    const row = await findTokenRow(trx, id);
    if (!row) throw new Error('token vanished inside its own transaction');
    return { token, apiToken: toTokenDto(row) };
  });
}

export async function listMyTokens(ctx: AppContext, actor: Actor): Promise<ApiTokenDto[]> {
  return (await listTokensOf(ctx.db, actor.personId)).map(toTokenDto);
}

/** Every token of every person (platform admins): the newest thousand. */
export async function listEveryToken(ctx: AppContext, actor: Actor): Promise<ApiTokenDto[]> {
  authorize(actor, canListAllTokens);
  return (await listAllTokens(ctx.db)).map(toTokenDto);
}

/**
 * Revokes a token. `ownOnly` (the /api/me route) treats other people's tokens as missing, so a holder
 * cannot probe for ids; revoking a revoked token is a no-op.
 */
export async function revokeApiToken(
  ctx: AppContext,
  actor: Actor,
  id: string,
  options: { ownOnly: boolean },
  meta?: RequestMeta,
): Promise<void> {
  // The admin route answers 403 before looking anything up, so it does not reveal which ids exist.
  if (!options.ownOnly) authorize(actor, canListAllTokens);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await findTokenRow(trx, id);
    if (!row || (options.ownOnly && row.person_id !== actor.personId)) throw tokenNotFound();
    if (!canRevokeToken(actor, row.person_id)) throw forbidden();
    if (row.revoked_at) return;
    await revokeTokenRow(trx, id);
    await audit(trx, actor, meta, {
      action: 'identity.token.revoke',
      target: { type: 'api_token', id },
      details: { personId: row.person_id, name: row.name, prefix: row.prefix },
    });
  });
}
