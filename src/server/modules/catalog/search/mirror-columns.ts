import type { MirrorDoc } from './mirror-index.ts';

// The in-memory index's per-document fields by ordinal (mirror-index.ts), for the searches' hot loops.

/** The MirrorDoc fields a search reads for every match, in typed arrays by ordinal. */
export const COLUMN_FIELDS = [
  'length',
  'departmentId',
  'themeId',
  'licenseId',
  'openType',
  'shareType',
  'updateCycle',
  'keywordsSlot',
  'formatsSlot',
] as const;
export type ColumnField = (typeof COLUMN_FIELDS)[number];
/** The times the mirrored sorts compare (microseconds; NaN for a null published time). */
export const TIME_FIELDS = ['modifiedUs', 'createdUs', 'publishedUs'] as const;
export type TimeField = (typeof TIME_FIELDS)[number];

/**
 * Those fields again, column by column: a search counting facets or sorting over thousands of
 * matches reads them in ordinal order from a few typed arrays instead of from thousands of
 * scattered objects.
 */
export class DocColumns {
  #capacity = 0;
  readonly byField = {} as Record<ColumnField, Int32Array>;
  readonly times = {} as Record<TimeField, Float64Array>;
  /** 1 for an ordinal whose document is held, 0 for one removed (or never set). */
  alive = new Uint8Array(0);

  constructor() {
    this.clear();
  }

  clear(): void {
    this.#allocate(1024);
  }

  set(ord: number, doc: MirrorDoc): void {
    if (ord >= this.#capacity) this.#allocate(Math.max(ord + 1, this.#capacity * 2), true);
    for (const f of COLUMN_FIELDS) (this.byField[f] as Int32Array)[ord] = doc[f];
    for (const f of TIME_FIELDS) (this.times[f] as Float64Array)[ord] = doc[f] ?? Number.NaN;
    this.alive[ord] = 1;
  }

  /** Marks a removed document's ordinal (its other fields stay, unread). */
  remove(ord: number): void {
    this.alive[ord] = 0;
  }

  #allocate(capacity: number, keep = false): void {
    for (const f of COLUMN_FIELDS) {
      const column = new Int32Array(capacity);
      if (keep) column.set(this.byField[f]);
      this.byField[f] = column;
    }
    for (const f of TIME_FIELDS) {
      const column = new Float64Array(capacity);
      if (keep) column.set(this.times[f]);
      this.times[f] = column;
    }
    const alive = new Uint8Array(capacity);
    if (keep) alive.set(this.alive);
    this.alive = alive;
    this.#capacity = capacity;
  }
}
