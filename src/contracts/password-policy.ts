// Password rules shared by the server (which enforces them) and the web app (which explains them
// while the person types). Reasons are stable codes; the web maps them to i18n text.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
/** From this length on, a passphrase needs no mix of character classes. */
export const PASSPHRASE_LENGTH = 16;
export const PASSWORD_MIN_CLASSES = 3;

export const PASSWORD_REASONS = [
  'too_short',
  'too_long',
  'too_few_classes',
  'contains_username',
  'common',
] as const;
export type PasswordReason = (typeof PASSWORD_REASONS)[number];

// Passwords seen most often in leaked credential lists (including the ones Chinese users pick most),
// compared case-insensitively. A short list catches the worst choices without shipping a dictionary.
const COMMON = new Set(
  [
    '123456789',
    '1234567890',
    '12345678910',
    '0123456789',
    '1111111111',
    '0000000000',
    '1q2w3e4r5t',
    '1qaz2wsx3edc',
    '1qaz@wsx3edc',
    '1qaz!qaz2wsx',
    'qwertyuiop',
    'qwerty1234',
    'qwerty123456',
    'qazwsxedc123',
    'asdfghjkl1',
    'zxcvbnm123',
    'password1',
    'password12',
    'password123',
    'password1234',
    'password@123',
    'password!123',
    'p@ssw0rd123',
    'p@ssword123',
    'passw0rd123',
    'iloveyou123',
    'welcome123',
    'welcome@123',
    'admin12345',
    'admin@1234',
    'admin@12345',
    'admin123456',
    'administrator',
    'abc1234567',
    'abcd123456',
    'abcd@12345',
    'a123456789',
    'aa123456789',
    'woaini1314',
    'woaini520520',
    '5201314520',
    '1314520520',
    'changeme123',
    'letmein123',
    'sunshine123',
    'football123',
    'dragon1234',
    'monkey1234',
    'princess123',
    'qwer1234!@#$',
    'civitas123',
    'civitas@123',
    'civitas1234',
  ].map((p) => p.toLowerCase()),
);

const CLASSES: RegExp[] = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/];

/** How many of the four character classes (lower, upper, digit, symbol) the password uses. */
export const passwordClassCount = (password: string) => CLASSES.filter((re) => re.test(password)).length;

/** Every rule the password breaks (empty when it is acceptable). `username` may be omitted while unknown. */
export function passwordProblems(password: string, username?: string): PasswordReason[] {
  const reasons: PasswordReason[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) reasons.push('too_short');
  if (length > PASSWORD_MAX_LENGTH) reasons.push('too_long');
  if (length < PASSPHRASE_LENGTH && passwordClassCount(password) < PASSWORD_MIN_CLASSES) {
    reasons.push('too_few_classes');
  }
  // Usernames of one or two characters would match too much to mean anything.
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    reasons.push('contains_username');
  }
  if (COMMON.has(password.toLowerCase())) reasons.push('common');
  return reasons;
}
