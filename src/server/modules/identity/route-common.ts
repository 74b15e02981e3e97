import type { AppContext } from '../../platform/context.ts';

export { denied, failures, noContent, security } from '../../platform/http/route-common.ts';

/**
 * Per-IP budget of the sign-in steps: a twentieth of the general limit (30 a minute by default), at
 * least 5. Per-account lockout stops guessing one password; this slows trying one password on many accounts.
 */
export const signInRateLimit = (ctx: AppContext) => ({
  max: Math.max(5, Math.ceil(ctx.config.rateLimitPerMinute / 20)),
  timeWindow: '1 minute',
});
