import type { Actor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';

// Other modules hear of a day that starts or stops counting as a working day, inside the transaction
// that changes its override: deadlines they keep (the exchange's decision deadlines) move exactly
// when the calendar does, and a change that rolls back moves nothing. The calendar knows nothing
// of its listeners; they register through index.ts.

/** A day whose standing changed (override set or removed), and who changed it. */
export interface WorkingDayChange {
  day: string;
  /** Whether the day counts as a working day from now on (it counted the other way before). */
  working: boolean;
  actor: Actor;
  meta: RequestMeta | undefined;
}

export type WorkingDayChangedListener = (trx: Db, ctx: AppContext, change: WorkingDayChange) => Promise<void>;

const listeners: WorkingDayChangedListener[] = [];

/** Registers a listener for days changing standing (once; registering it again is a no-op). */
export function onWorkingDayChanged(listener: WorkingDayChangedListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

/** Tells every listener, in the override's transaction; a listener's failure fails the change. */
export async function notifyWorkingDayChanged(
  trx: Db,
  ctx: AppContext,
  change: WorkingDayChange,
): Promise<void> {
  for (const listener of listeners) await listener(trx, ctx, change);
}
