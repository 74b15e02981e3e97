import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../context.ts';
import { safeEqual, sha256Hex } from '../crypto.ts';
import { AppError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { type CredentialRow, findSession, findToken, touchSession, touchToken } from './auth.repository.ts';
import { SESSION_COOKIE, TOKEN_PREFIX } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or undefined for anonymous requests. */
    actor: Actor | undefined;
    /** Raw session cookie value, when the request carried one (logout, second-factor step). */
    sessionCookie: string | undefined;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOUCH_AFTER_MS = 5 * 60_000;

function toActor(row: CredentialRow, via: Actor['via'], sessionId?: string): Actor {
  return {
    personId: row.person_id,
    username: row.username,
    displayName: row.display_name,
    kind: row.kind,
    isPlatformAdmin: row.is_platform_admin,
    roles: row.roles,
    via,
    sessionId,
    csrfToken: row.csrf_token,
    tokenId: row.token_id,
  };
}

/** Bearer token from `Authorization: Bearer x`, `Authorization: x` (CKAN clients) or `X-CKAN-API-Key`. */
function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const value = header.startsWith('Bearer ') ? header.slice(7).trim() : header.trim();
    if (value.startsWith(TOKEN_PREFIX)) return value;
    throw new AppError('auth.invalid_token', 401, 'The API token is invalid, expired or revoked');
  }
  const ckan = request.headers['x-ckan-api-key'];
  return typeof ckan === 'string' && ckan.startsWith(TOKEN_PREFIX) ? ckan : undefined;
}

/**
 * Resolves the actor of every request from its API token or session cookie, and enforces CSRF
 * protection on cookie-authenticated writes (synchronizer token in `X-CSRF-Token`, plus an Origin check).
 */
export const authPlugin = fp(async (app: FastifyInstance, opts: { ctx: AppContext }) => {
  const { db } = opts.ctx;
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionCookie', undefined);

  app.addHook('onRequest', async (request) => {
    // The exchange gateway authenticates systems by their grant's credential, not people.
    if (request.url.startsWith('/exchange/')) return;
    const bearer = bearerOf(request);
    if (bearer) {
      const row = await findToken(db, sha256Hex(bearer));
      if (row?.status !== 'active') {
        throw new AppError('auth.invalid_token', 401, 'The API token is invalid, expired or revoked');
      }
      if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 60_000)
        await touchToken(db, row.token_id!);
      request.actor = toActor(row, 'token');
      requireEnrolledSecondFactor(opts.ctx, request, row);
      return;
    }

    const cookie = request.cookies[SESSION_COOKIE];
    let sessionRow: CredentialRow | undefined;
    if (cookie) {
      request.sessionCookie = cookie;
      const sessionId = sha256Hex(cookie);
      const row = await findSession(db, sessionId);
      if (row && row.status === 'active' && !row.mfa_pending) {
        request.actor = toActor(row, 'session', sessionId);
        sessionRow = row;
        if (row.last_seen_at && Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_MS)
          await touchSession(db, sessionId);
      }
    }

    if (UNSAFE.has(request.method) && request.cookies[SESSION_COOKIE]) {
      checkOrigin(request);
      // Any cookie-carrying write must present the session's CSRF token, except the login and
      // second-factor steps, which establish the session (SameSite=Lax and the Origin check cover them).
      const exempt = request.routeOptions.config?.csrfExempt === true;
      if (!exempt && request.actor) {
        const sent = request.headers['x-csrf-token'];
        if (
          typeof sent !== 'string' ||
          !request.actor.csrfToken ||
          !safeEqual(sent, request.actor.csrfToken)
        ) {
          throw new AppError(
            'auth.csrf_failed',
            403,
            'Missing or wrong CSRF token; reload the page and try again',
          );
        }
      }
    }
    if (sessionRow) requireEnrolledSecondFactor(opts.ctx, request, sessionRow);
  });
});

/**
 * With CIVITAS_REQUIRE_STAFF_MFA, staff without a second factor may only reach their own account and
 * the sign-in routes (to enrol) until they have one. Token callers too: otherwise a token minted
 * before enrolment would walk around the rule.
 */
function requireEnrolledSecondFactor(ctx: AppContext, request: FastifyRequest, row: CredentialRow) {
  if (!ctx.config.requireStaffMfa || row.kind !== 'staff' || row.totp_enabled) return;
  const path = request.url.split('?')[0] ?? '';
  if (!path.startsWith('/api/')) return;
  if (path === '/api/me' || path.startsWith('/api/me/') || path.startsWith('/api/auth/')) return;
  throw new AppError('auth.mfa_enrollment_required', 403, 'Set up two-step sign-in before using the console');
}

/** A write whose Origin names another site is refused, whatever cookies it carries. */
function checkOrigin(request: FastifyRequest) {
  const origin = request.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError('auth.csrf_failed', 403, 'Cross-site request refused');
  }
  if (host !== request.headers.host)
    throw new AppError('auth.csrf_failed', 403, 'Cross-site request refused');
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Skip the CSRF token check (only for the steps that create a session). */
    csrfExempt?: boolean;
  }
}
