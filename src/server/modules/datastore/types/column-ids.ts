// Column ids of a typed table, made from the file's header labels.
//
// Chinese labels stay Chinese: PostgreSQL takes any letter in an identifier, callers always quote
// them, and a steward reading 人口数 recognises the column, while pinyin (renkoushu) is ambiguous
// between homophones and needs a dictionary. NFKC folds full-width letters and digits to ASCII so
// ＩＤ and ID meet, and everything that is not a letter or digit becomes one underscore.

/** PostgreSQL's identifier limit (NAMEDATALEN − 1), in bytes. */
export const MAX_ID_BYTES = 63;

// Names of system columns: a user column may not take them.
const SYSTEM_COLUMNS = ['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid', 'oid'];

const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The longest prefix of `s`, whole code points, of at most `bytes` UTF-8 bytes. */
function truncateBytes(s: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const ch of s) {
    const n = utf8Bytes(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/** A label's base id: lower case, runs of other characters as `_`, no `_` at either end. */
function baseId(label: string): string {
  const id = label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return truncateBytes(id, MAX_ID_BYTES).replace(/_+$/, '');
}

/** Safe, unique column ids for header labels, in order: `column_<n>` for blank ones, `_2`… for repeats. */
export function makeColumnIds(labels: readonly string[]): string[] {
  const taken = new Set(SYSTEM_COLUMNS);
  return labels.map((label, i) => {
    const base = baseId(label) || `column_${i + 1}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) {
      const suffix = `_${n}`;
      id = truncateBytes(base, MAX_ID_BYTES - suffix.length).replace(/_+$/, '') + suffix;
    }
    taken.add(id);
    return id;
  });
}
