import type { AppContext } from '../../platform/context.ts';

// Other modules hear of metadata edits and withdrawals after they are committed: the DataStore
// rescores the resource's quality (its metadata criteria — licence, description … — just changed),
// the exchange suspends grants of a resource that is withdrawn or no longer shared.
// A listener's failure never undoes or fails the edit: the hourly quality refresh catches up.

export type DatasetChangedListener = (ctx: AppContext, datasetId: string) => Promise<void>;

const listeners: DatasetChangedListener[] = [];

/** Registers a listener for committed metadata edits and withdrawals (once per listener). */
export function onDatasetChanged(listener: DatasetChangedListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

/** Tells every listener; returns the errors they raised (for the caller to log), never throws. */
export async function notifyDatasetChanged(ctx: AppContext, datasetId: string): Promise<unknown[]> {
  const errors: unknown[] = [];
  for (const listener of listeners) {
    try {
      await listener(ctx, datasetId);
    } catch (err) {
      errors.push(err);
    }
  }
  return errors;
}
