// Chinese national identifiers, shared by server, web and CLI.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643 check character for the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Why a resident ID is invalid, or undefined when it is valid (format, birth date, GB 11643 checksum). */
export function residentIdProblem(value: string): 'format' | 'birth_date' | 'checksum' | undefined {
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return 'format';
  const y = Number(value.slice(6, 10));
  const m = Number(value.slice(10, 12));
  const d = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1800 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== m - 1 ||
    date.getUTCDate() !== d ||
    date.getTime() > Date.now()
  ) {
    return 'birth_date';
  }
  return residentIdCheckChar(value.slice(0, 17)) === value[17] ? undefined : 'checksum';
}

export const isValidResidentId = (value: string) => residentIdProblem(value) === undefined;

/** Upper-cases and strips spaces, the forms people type identifiers in. */
export const normalizeIdentifier = (value: string) => value.replace(/\s+/g, '').toUpperCase();

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 check character for the first 17 characters of a unified social credit code. */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const check = 31 - (sum % 31);
  return USCC_CHARS[check === 31 ? 0 : check]!;
}

/** Why a unified social credit code is invalid, or undefined when valid (alphabet, region, GB 32100 checksum). */
export function usccProblem(value: string): 'format' | 'checksum' | undefined {
  if (!/^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/.test(value)) return 'format';
  return usccCheckChar(value.slice(0, 17)) === value[17] ? undefined : 'checksum';
}

export const isValidUscc = (value: string) => usccProblem(value) === undefined;

/** Keeps the first and last four characters: 11010519491231002X → 1101**********002X. */
export function maskIdentifier(value: string): string {
  if (value.length <= 8) return '*'.repeat(value.length);
  return `${value.slice(0, 4)}${'*'.repeat(value.length - 8)}${value.slice(-4)}`;
}
