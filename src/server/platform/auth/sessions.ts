import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { randomToken, sha256Hex } from '../crypto.ts';
import type { Db } from '../db.ts';
import { deleteSession, insertSession } from './auth.repository.ts';

export const SESSION_COOKIE = 'civitas_sid';
export const TOKEN_PREFIX = 'cvt_';

/** Creates a server-side session and returns the cookie value (only its hash is stored). */
export async function startSession(
  ctx: AppContext,
  db: Db,
  personId: string,
  meta: { mfaPending: boolean; ip: string | null; userAgent: string | null },
): Promise<{ cookieValue: string; csrfToken: string; expiresAt: Date }> {
  const cookieValue = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = new Date(Date.now() + (meta.mfaPending ? 0.25 : ctx.config.sessionTtlHours) * 3600_000);
  await insertSession(db, {
    id: sha256Hex(cookieValue),
    personId,
    csrfToken,
    mfaPending: meta.mfaPending,
    ip: meta.ip,
    userAgent: meta.userAgent,
    expiresAt,
  });
  return { cookieValue, csrfToken, expiresAt };
}

export async function endSession(db: Db, cookieValue: string): Promise<void> {
  await deleteSession(db, sha256Hex(cookieValue));
}

/** Secure cookies when the request arrived over https (directly or via a trusted proxy) or the public URL is https. */
export function setSessionCookie(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
  expires: Date,
) {
  const secure = request.protocol === 'https' || (ctx.config.publicUrl?.startsWith('https:') ?? false);
  reply.setCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

export const tokenHash = (token: string) => sha256Hex(token);
