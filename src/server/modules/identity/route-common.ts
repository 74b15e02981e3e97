import { Type } from 'typebox';
import { ErrorSchema } from '../../../contracts/identity.ts';
import type { AppContext } from '../../platform/context.ts';

/** Either credential works: `Authorization: Bearer cvt_…` or the session cookie (writes add X-CSRF-Token). */
export const security: { [scheme: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
export const denied = { 401: ErrorSchema, 403: ErrorSchema } as const;
export const failures = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
} as const;
/** Responses of a route that answers 204 on success. */
export const noContent = { 204: Type.Null(), ...failures } as const;

/**
 * Per-IP budget of the sign-in steps: a twentieth of the general limit (30 a minute by default), at
 * least 5. Per-account lockout stops guessing one password; this slows trying one password on many accounts.
 */
export const signInRateLimit = (ctx: AppContext) => ({
  max: Math.max(5, Math.ceil(ctx.config.rateLimitPerMinute / 20)),
  timeWindow: '1 minute',
});
