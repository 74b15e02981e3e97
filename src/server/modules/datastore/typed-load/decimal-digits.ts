// Decimals held as their digits (integer part, then fraction; number-bytes.ts parses them so),
// compared and printed exactly as PostgreSQL's numeric: for the quality profile's extremes
// (value-extremes.ts), where a double would order two long decimals wrongly.

/** Index of the first non-zero digit of an integer part, `at` + `n` when it is all zeros. */
function firstSignificant(d: Uint8Array, at: number, n: number): number {
  let i = at;
  while (i < at + n && d[i] === 0) i++;
  return i;
}

/** Whether every digit in [from, to) is zero. */
function allZero(d: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (d[i] !== 0) return false;
  return true;
}

/** Compares the magnitudes of two decimals given as digits (integer part, then fraction): <0, 0, >0. */
function compareMagnitude(
  da: Uint8Array,
  a: number,
  ai: number,
  af: number,
  db: Uint8Array,
  b: number,
  bi: number,
  bf: number,
): number {
  const sa = firstSignificant(da, a, ai);
  const sb = firstSignificant(db, b, bi);
  const la = a + ai - sa;
  const lb = b + bi - sb;
  if (la !== lb) return la - lb;
  for (let k = 0; k < la; k++) {
    const d = da[sa + k]! - db[sb + k]!;
    if (d !== 0) return d;
  }
  const f = Math.max(af, bf);
  for (let k = 0; k < f; k++) {
    const d = (k < af ? da[a + ai + k]! : 0) - (k < bf ? db[b + bi + k]! : 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Compares two signed decimals given as digits (zero has no sign): <0, 0, >0. */
export function compareDigits(
  da: Uint8Array,
  a: number,
  ai: number,
  af: number,
  an: boolean,
  db: Uint8Array,
  b: number,
  bi: number,
  bf: number,
  bn: boolean,
): number {
  const negA = an && !allZero(da, a, a + ai + af);
  const negB = bn && !allZero(db, b, b + bi + bf);
  if (negA !== negB) return negA ? -1 : 1;
  const m = compareMagnitude(da, a, ai, af, db, b, bi, bf);
  return negA ? -m : m;
}

/** A decimal as trim_scale(numeric)::text prints it: no leading or trailing zeros, no sign on zero. */
export function numericText(d: Uint8Array, at: number, ints: number, fracs: number, neg: boolean): string {
  let s = '';
  for (let i = firstSignificant(d, at, ints); i < at + ints; i++) s += d[i];
  let last = at + ints + fracs;
  while (last > at + ints && d[last - 1] === 0) last--;
  let f = '';
  for (let i = at + ints; i < last; i++) f += d[i];
  const body = (s || '0') + (f ? `.${f}` : '');
  return neg && body !== '0' ? `-${body}` : body;
}
