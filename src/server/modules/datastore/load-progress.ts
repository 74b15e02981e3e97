import type { AppContext } from '../../platform/context.ts';
import { setLoadState } from './datastore.repository.ts';

// A load's progress as the UI and API show it (stage, rows, bytes, percent), written to the load row.

const PROGRESS_EVERY_MS = 500;

/** Writes progress to the load row at most every PROGRESS_EVERY_MS, one write at a time. */
export function progressWriter(
  ctx: AppContext,
  loadId: string,
  totalBytes: number,
  onProgress: ((p: Record<string, unknown>) => void) | undefined,
) {
  let state = { stage: 'reading', rows: 0, bytes: 0 };
  let last = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const snapshot = (stage: string, percent?: number) => ({
    stage,
    rows: state.rows,
    bytes: state.bytes,
    totalBytes,
    percent: percent ?? (totalBytes > 0 ? Math.min(99, Math.floor((state.bytes / totalBytes) * 90)) : 0),
  });
  return {
    snapshot,
    update(stage: string, p: { bytes?: number; rows?: number }) {
      state = { stage, rows: p.rows ?? state.rows, bytes: p.bytes ?? state.bytes };
      const now = Date.now();
      if (now - last < PROGRESS_EVERY_MS && stage === 'reading') return;
      last = now;
      const value = snapshot(stage, stage === 'reading' ? undefined : stage === 'inferring' ? 90 : 95);
      onProgress?.(value);
      pending = pending.then(() => setLoadState(ctx.db, loadId, { progress: value }).catch(() => {}));
    },
    flush: () => pending,
  };
}
