import type { AppContext } from '../../platform/context.ts';

// Other modules hear of metadata edits after they are committed (the DataStore rescores the
// resource's quality, whose metadata criteria — licence, description, coverage … — just changed).
// A listener's failure never undoes or fails the edit: the hourly quality refresh catches up.

export type DatasetChangedListener = (ctx: AppContext, datasetId: string) => Promise<void>;

const listeners: DatasetChangedListener[] = [];

/** Registers a listener for committed metadata edits (once per listener). */
export function onDatasetMetadataChanged(listener: DatasetChangedListener): void {
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
