import { formatNumber } from './xlsx-values.ts';

// Postcodes, region codes and staff numbers are often stored as numbers under a format such as
// `000000`: the cell holds 12345 and Excel shows 012345. The shown text is the identifier, so such a
// cell is read as that text (and inference keeps the column text). Only zero-padding of the integer
// part is about identity: every other format (0.00, #,##0, percentages, units like 0.00"元") leaves
// the stored number as General shows it, and a padded format never rounds a stored fraction away.

/** The text Excel shows for a stored number under a zero-padding format, or undefined where General text stands. */
export type PaddedFormat = (raw: string) => string | undefined;

type Token =
  | { kind: 'literal'; text: string }
  | { kind: 'digit'; char: '0' | '#' | '?' }
  | { kind: 'point' }
  | { kind: 'comma' };

/** Thrown inside the parser for anything beyond plain digit patterns; the format is then left to General. */
const UNSUPPORTED = Symbol('unsupported');

// Characters Excel shows as themselves without quotes in a number format.
const BARE_LITERALS = new Set([..."$-+():!^&'~{}<>= "]);

/** Splits a format code into its `;` sections, keeping quoted text, escapes and [tags] intact. */
export function formatSections(code: string): string[] {
  const sections: string[] = [];
  let start = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      const close = code.indexOf('"', i + 1);
      i = close < 0 ? code.length : close;
    } else if (c === '\\' || c === '_' || c === '*') i++;
    else if (c === '[') {
      const close = code.indexOf(']', i + 1);
      i = close < 0 ? code.length : close;
    } else if (c === ';') {
      sections.push(code.slice(start, i));
      start = i + 1;
    }
  }
  sections.push(code.slice(start));
  return sections;
}

function tokenize(section: string): Token[] {
  const tokens: Token[] = [];
  const literal = (text: string) => tokens.push({ kind: 'literal', text });
  for (let i = 0; i < section.length; i++) {
    const c = section[i]!;
    if (c === '0' || c === '#' || c === '?') tokens.push({ kind: 'digit', char: c });
    else if (c === '.') tokens.push({ kind: 'point' });
    else if (c === ',') tokens.push({ kind: 'comma' });
    else if (c === '"') {
      const close = section.indexOf('"', i + 1);
      if (close < 0) throw UNSUPPORTED;
      literal(section.slice(i + 1, close));
      i = close;
    } else if (c === '\\') {
      if (i + 1 < section.length) literal(section[++i]!);
    } else if (c === '_') {
      // `_x` reserves the width of x (alignment under brackets): Excel shows a space.
      i++;
      literal(' ');
    } else if (c === '*') {
      // `*x` repeats x to fill the cell width: nothing of it belongs to the value.
      i++;
    } else if (c === '[') {
      const close = section.indexOf(']', i + 1);
      if (close < 0) throw UNSUPPORTED;
      const tag = section.slice(i + 1, close);
      i = close;
      if (tag.startsWith('$')) {
        // [$¥-804]: a currency symbol (shown) and a locale (not shown).
        const dash = tag.indexOf('-');
        literal(tag.slice(1, dash < 0 ? undefined : dash));
      } else if (!/^(black|blue|cyan|green|magenta|red|white|yellow|color\s*\d+)$/i.test(tag)) {
        // Conditions ([>100]), elapsed time and [DBNum1] (Chinese numerals) show something else.
        throw UNSUPPORTED;
      }
    } else if (/[A-Za-z%/@]/.test(c)) {
      // Letters are date, time, exponent or General tokens; % scales; / makes fractions; @ is text.
      throw UNSUPPORTED;
    } else if (BARE_LITERALS.has(c) || c.charCodeAt(0) > 0x7f) literal(c);
    else throw UNSUPPORTED;
  }
  return tokens;
}

interface Pattern {
  /** Tokens before the decimal point (or all of them). */
  integer: Token[];
  /** Tokens after the decimal point; undefined without one. */
  fraction: Token[] | undefined;
  grouping: boolean;
  /** Zero placeholders after the point: the fraction is padded to them, never cut to the others. */
  fractionZeros: number;
}

function pattern(tokens: Token[]): Pattern {
  const point = tokens.findIndex((t) => t.kind === 'point');
  const integerTokens = point < 0 ? tokens : tokens.slice(0, point);
  const fraction = point < 0 ? undefined : tokens.slice(point + 1);
  if (fraction?.some((t) => t.kind === 'point' || t.kind === 'comma')) throw UNSUPPORTED;
  const digitAt = integerTokens.flatMap((t, i) => (t.kind === 'digit' ? [i] : []));
  if (digitAt.length === 0) throw UNSUPPORTED;
  const first = digitAt[0]!;
  const last = digitAt.at(-1)!;
  let grouping = false;
  const integer: Token[] = [];
  integerTokens.forEach((t, i) => {
    if (t.kind !== 'comma') integer.push(t);
    // A comma between digit placeholders groups thousands; after the last one it divides by 1,000.
    else if (i > first && i < last) grouping = true;
    else if (i > last) throw UNSUPPORTED;
    else integer.push({ kind: 'literal', text: ',' });
  });
  const inside = integer.slice(
    integer.findIndex((t) => t.kind === 'digit'),
    integer.findLastIndex((t) => t.kind === 'digit') + 1,
  );
  // Grouping across literals (0,000-000) has no single reading; such codes are left to General.
  if (grouping && inside.some((t) => t.kind === 'literal')) throw UNSUPPORTED;
  const fractionZeros = (fraction ?? []).filter((t) => t.kind === 'digit' && t.char === '0').length;
  return { integer, fraction, grouping, fractionZeros };
}

/**
 * Compiles a number format code whose first section pads the integer part with zeros (at least two
 * `0` placeholders before any decimal point): `000000`, `"No."0000`, `000-0000`. Every other code
 * returns undefined, and so do General, dates and times (classified before this is asked).
 */
export function paddedFormat(code: string | undefined): PaddedFormat | undefined {
  if (!code) return undefined;
  const sections = formatSections(code);
  let parsed: Pattern;
  try {
    parsed = pattern(tokenize(sections[0]!));
  } catch (err) {
    if (err === UNSUPPORTED) return undefined;
    throw err;
  }
  const zeros = parsed.integer.filter((t) => t.kind === 'digit' && t.char === '0').length;
  if (zeros < 2) return undefined;
  return (raw) => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) return undefined;
    // Negative numbers and zero take their own sections when the code has them.
    if ((value < 0 && sections.length >= 2) || (value === 0 && sections.length >= 3)) return undefined;
    return render(parsed, formatNumber(raw));
  };
}

function render(p: Pattern, general: string): string {
  const negative = general.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? general.slice(1) : general).split('.');
  let digits = whole === '0' ? '' : whole;
  const out: string[] = [];
  const lastDigit = p.integer.findLastIndex((t) => t.kind === 'digit');
  const firstDigit = p.integer.findIndex((t) => t.kind === 'digit');
  // Digits fill the placeholders from the right; the leftmost placeholder takes any left over.
  for (let i = p.integer.length - 1; i >= 0; i--) {
    const t = p.integer[i]!;
    if (t.kind === 'literal') out.push(t.text);
    else if (t.kind === 'digit') {
      if (i === lastDigit && p.fraction === undefined && fraction) out.push(`.${fraction}`);
      let filled = digits ? digits.slice(-1) : t.char === '0' ? '0' : t.char === '?' ? ' ' : '';
      digits = digits.slice(0, -1);
      if (i === firstDigit) {
        filled = digits + filled;
        digits = '';
      }
      out.push(filled);
    }
  }
  let integer = out.reverse().join('');
  if (p.grouping) integer = group(integer);
  let text = integer;
  if (p.fraction) {
    const shown = fraction.padEnd(p.fractionZeros, '0');
    let placed = false;
    for (const t of p.fraction) {
      if (t.kind === 'literal') text += t.text;
      else if (!placed) {
        text += shown ? `.${shown}` : '';
        placed = true;
      }
    }
  }
  return negative ? `-${text}` : text;
}

/** Inserts thousands separators between the digits of an integer that may carry literals around it. */
function group(text: string): string {
  const match = /^(\D*?)(\d+)(.*)$/s.exec(text);
  if (!match) return text;
  const [, before, digits, after] = match;
  return `${before}${digits!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${after}`;
}
