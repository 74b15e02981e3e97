// What a column's header says about it. Codes, numbers and phone columns are written with digits
// but are identifiers (a zip code is not a quantity, and sums of them mean nothing), so a hint keeps
// an integer-looking column text. A "whether" column of 1/0 is a boolean.

const IDENTIFIER_WORDS_ZH = [
  '编码',
  '代码',
  '编号',
  '号码',
  '代号',
  '电话',
  '手机',
  '传真',
  '邮编',
  '邮政编码',
  '身份证',
  '证件号',
  '账号',
  '帐号',
  '卡号',
  '工号',
  '学号',
  '牌号',
];
const IDENTIFIER_TOKENS = new Set([
  'code',
  'id',
  'no',
  'phone',
  'tel',
  'telephone',
  'mobile',
  'fax',
  'zip',
  'zipcode',
  'postcode',
  'postal',
  'account',
  'acct',
  'sn',
  'serial',
  'ssn',
]);
const BOOLEAN_WORDS_ZH = ['是否', '有无', '是不是'];
const BOOLEAN_FIRST_TOKENS = new Set(['is', 'has', 'flag']);

/** Lower-case ASCII words of a label, camelCase split: `zipCode` → zip, code. */
function tokens(label: string): string[] {
  return label
    .normalize('NFKC')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** True when the label names an identifier (code, number, phone, zip…). */
export function hasIdentifierHint(label: string): boolean {
  const text = label.normalize('NFKC');
  if (IDENTIFIER_WORDS_ZH.some((w) => text.includes(w))) return true;
  const words = tokens(label);
  // "No. of cases" counts things; "Case No." names one.
  return words.some((w, i) => IDENTIFIER_TOKENS.has(w) && !(w === 'no' && words[i + 1] === 'of'));
}

/** True when the label asks a yes/no question (是否…, is_…, has_…, …flag). */
export function hasBooleanHint(label: string): boolean {
  const text = label.normalize('NFKC');
  if (BOOLEAN_WORDS_ZH.some((w) => text.includes(w))) return true;
  const words = tokens(label);
  return (words[0] !== undefined && BOOLEAN_FIRST_TOKENS.has(words[0])) || words.includes('flag');
}
