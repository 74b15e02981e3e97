// Where each row a reader yields sits in its file. Blank rows are skipped, so the n-th row staged is
// not the n-th row of the file; the report names rows as the steward finds them in the file (opened
// in an editor or a spreadsheet), so it needs the way back. Kept as runs of a constant shift, one
// per skipped stretch, not one number per row.

/** The data row (1 = the row after the header, skipped rows counted) of each yielded row. */
export class RowNumbers {
  private readonly starts: number[] = [];
  private readonly shifts: number[] = [];

  /** The `yielded`-th row yielded (1-based) is data row `dataRow`. Called in order. */
  note(yielded: number, dataRow: number): void {
    const shift = dataRow - yielded;
    if (this.shifts.length > 0 && this.shifts[this.shifts.length - 1] === shift) return;
    this.starts.push(yielded);
    this.shifts.push(shift);
  }

  /** The data row of the `yielded`-th row yielded. */
  dataRowOf(yielded: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] as number) <= yielded) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return yielded + (found >= 0 ? (this.shifts[found] as number) : 0);
  }
}
