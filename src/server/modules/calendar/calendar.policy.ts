import type { Actor } from '../../platform/auth/actor.ts';

// Who may see and change the working-day calendar. Pure functions, no I/O.

/**
 * Overrides move every statutory deadline on the platform, across all departments, so only platform
 * admins read the admin view and change it.
 */
export const canManageCalendar = (actor: Actor) => actor.isPlatformAdmin;
