import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { calendarRoutes } from './calendar.routes.ts';

// The working-day calendar: what the official schedule says about each day and the overrides
// platform admins keep on top of it. Deadline arithmetic itself lives in platform/working-days.ts.

export { canManageCalendar } from './calendar.policy.ts';
export { deleteWorkingDayOverride, listWorkingDays, setWorkingDayOverride } from './calendar.service.ts';
export {
  onWorkingDayChanged,
  type WorkingDayChange,
  type WorkingDayChangedListener,
} from './calendar-events.ts';

/** Registers the calendar administration routes. */
export async function calendarModule(app: FastifyInstance, opts: { ctx: AppContext }) {
  await app.register(calendarRoutes, opts);
}
