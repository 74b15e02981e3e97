/** How a numeric cell is shown: as a number, a date, a date and time, or a time of day. */
export type NumberKind = 'number' | 'date' | 'time';

// Built-in number formats that are dates or times, including the zh-CN / ja-JP locale ones (27–36, 50–58).
const BUILTIN_DATES = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58]);
const BUILTIN_TIMES = new Set([18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56]);

/** Classifies a number format by id and (for custom formats) its code. */
export function numberKind(id: number, code: string | undefined): NumberKind {
  if (BUILTIN_DATES.has(id)) return 'date';
  if (BUILTIN_TIMES.has(id)) return 'time';
  if (!code) return 'number';
  // Only the first section counts; literals, escapes and [colour]/[$-locale] tags are not tokens.
  const section = (code.split(';')[0] ?? '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/e[+-]/gi, '')
    .replace(/\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]/gi, '');
  if (/general/i.test(section)) return 'number';
  const hasDate = /[ydebg]/i.test(section) || (/m/i.test(section) && !/[hs]/i.test(section));
  if (hasDate) return 'date';
  return /[hs]/i.test(section) ? 'time' : 'number';
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/** An Excel serial date as ISO text: the date alone when there is no time of day. */
export function serialToIso(serial: number, kind: NumberKind, date1904: boolean): string {
  if (kind === 'time') {
    const seconds = Math.round(serial * 86_400);
    const h = Math.floor(seconds / 3600);
    return `${pad(h)}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  }
  // Excel's 1900 system counts the non-existent 1900-02-29, so serials before it are one day off.
  const adjusted = !date1904 && serial < 60 ? serial + 1 : serial;
  const ms = Math.round((adjusted * DAY_MS) / 1000) * 1000 + (date1904 ? EPOCH_1904 : EPOCH_1900);
  const iso = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A number as Excel shows it in the General format: 15 significant digits (no 0.30000000000000004),
 * always in plain decimal notation (no 1e-7).
 */
export function formatNumber(raw: string): string {
  const value = Number(raw);
  if (!Number.isFinite(value) || raw.trim() === '') return raw;
  return plainDecimal(Number(value.toPrecision(15)));
}

/** Writes a number without exponent notation. */
export function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign, lead, fraction = '', exp] = match;
  const digits = lead! + fraction;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Undoes OOXML's `_xHHHH_` escapes (Excel writes a carriage return as `_x000D_`). */
export function unescapeOoxml(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
}

/** Zero-based column index of a cell reference such as "AB12". */
export function columnIndex(ref: string): number {
  let index = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) {
      if (c >= 97 && c <= 122) index = index * 26 + (c - 96);
      else break;
    } else index = index * 26 + (c - 64);
  }
  return index - 1;
}
