import { validDay } from '../types/patterns.ts';

// Dates and times of day read from a field's bytes, for the binary COPY writer (binary-rows.ts):
// exactly the shapes the classifier gives the date, timestamp and time bits (types/patterns.ts).

/** Returned by parseDate for a value that is not a date. */
export const INVALID_DATE = -0x80000000;
/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for dates and timestamps. */
const PG_EPOCH_DAYS = 10_957;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
/** Where the last date parseDate accepted ended (module state: no object per value). */
let end = 0;

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Where the last date parseDate accepted ended, for a timestamp's time of day after it. */
export const dateEnd = () => end;

/**
 * A year-first date — 2023-05-21, 2023/5/21, 2023.5.21, 2023年5月21日 — as days since 2000-01-01, or
 * INVALID_DATE; dateEnd() is where it ended. Year 1000–9999, month and day of one or two digits, the day
 * existing (validDay); the separators as types/patterns.ts DATE_FORMS has them.
 */
export function parseDate(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 8) return INVALID_DATE;
  const y0 = buf[s]! - 48;
  const y1 = buf[s + 1]! - 48;
  const y2 = buf[s + 2]! - 48;
  const y3 = buf[s + 3]! - 48;
  if (y0 < 1 || y0 > 9 || y1 < 0 || y1 > 9 || y2 < 0 || y2 > 9 || y3 < 0 || y3 > 9) return INVALID_DATE;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  let i = s + 4;
  const sep = buf[i]!;
  // 年 is E5 B9 B4, 月 E6 9C 88, 日 E6 97 A5.
  const hanzi = sep === 0xe5;
  if (hanzi) {
    if (buf[i + 1] !== 0xb9 || buf[i + 2] !== 0xb4) return INVALID_DATE;
    i += 3;
  } else if (sep === 45 || sep === 47 || sep === 46) i++;
  else return INVALID_DATE;
  let month = 0;
  const m0 = i;
  while (i < e && i - m0 < 3 && isDigit(buf[i]!)) month = month * 10 + buf[i++]! - 48;
  if (i === m0 || i - m0 > 2 || i >= e) return INVALID_DATE;
  if (hanzi) {
    if (i + 3 > e || buf[i] !== 0xe6 || buf[i + 1] !== 0x9c || buf[i + 2] !== 0x88) return INVALID_DATE;
    i += 3;
  } else if (buf[i] === sep) i++;
  else return INVALID_DATE;
  let day = 0;
  const d0 = i;
  while (i < e && i - d0 < 3 && isDigit(buf[i]!)) day = day * 10 + buf[i++]! - 48;
  if (i === d0 || i - d0 > 2) return INVALID_DATE;
  if (hanzi) {
    if (i + 3 > e || buf[i] !== 0xe6 || buf[i + 1] !== 0x97 || buf[i + 2] !== 0xa5) return INVALID_DATE;
    i += 3;
  }
  if (month < 1 || month > 12 || day < 1 || !validDay(year, month, day)) return INVALID_DATE;
  end = i;
  return daysFromCivil(year, month, day) - PG_EPOCH_DAYS;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Two digits 00–59 at `i` (before `e`), or -1. */
function sixty(buf: Uint8Array, i: number, e: number): number {
  if (i + 2 > e) return -1;
  const a = buf[i]! - 48;
  const b = buf[i + 1]! - 48;
  return a >= 0 && a <= 5 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * A time of day — H:MM, HH:MM, HH:MM:SS, HH:MM:SS.f to .ffffff, hours 0–23 (TIME_BODY in
 * types/patterns.ts) — filling [s, e) exactly, as microseconds since midnight; or -1.
 */
export function parseTime(buf: Uint8Array, s: number, e: number): number {
  let i = s;
  if (i >= e || !isDigit(buf[i]!)) return -1;
  let hour = buf[i++]! - 48;
  if (i < e && isDigit(buf[i]!)) hour = hour * 10 + buf[i++]! - 48;
  if (hour > 23 || i >= e || buf[i] !== 58) return -1;
  const minute = sixty(buf, i + 1, e);
  if (minute < 0) return -1;
  i += 3;
  let second = 0;
  let micros = 0;
  if (i < e) {
    if (buf[i] !== 58) return -1;
    second = sixty(buf, i + 1, e);
    if (second < 0) return -1;
    i += 3;
    if (i < e) {
      if (buf[i] !== 46) return -1;
      const f0 = ++i;
      while (i < e && i - f0 < 7 && isDigit(buf[i]!)) micros = micros * 10 + buf[i++]! - 48;
      const n = i - f0;
      if (n === 0 || n > 6 || i !== e) return -1;
      micros *= POW10[6 - n]!;
    }
  }
  return ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
}
