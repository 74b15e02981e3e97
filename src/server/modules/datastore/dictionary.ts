import type {
  ColumnSensitivity,
  DatastoreType,
  DictionaryColumn,
  MaskRule,
  SubjectKind,
} from '../../../contracts/datastore.ts';

// The data dictionary a load proposes: the inferred type, the original label, and a first guess at
// how sensitive the column is from its label (ID numbers, phone numbers, names, e-mail addresses are
// personal and masked for everyone outside the provider department). The steward corrects it; their
// descriptions, units and sensitivities survive later loads of columns with the same id.

const PERSONAL_HINTS: [RegExp, MaskRule][] = [
  [/身份证|证件号|公民身份|id.?card|id.?number|identity/i, 'id_number'],
  [/手机|电话|联系方式|phone|mobile|tel(ephone)?\b/i, 'phone'],
  [/邮箱|电子邮件|e-?mail/i, 'email'],
  [/姓名|联系人|法定代表人|法人代表|负责人|^name$|person.?name|full.?name|contact/i, 'name'],
  [/住址|家庭地址|居住地址|home.?address/i, 'partial'],
];

/** A first guess at a column's sensitivity and mask from its label. */
export function guessSensitivity(label: string): { sensitivity: ColumnSensitivity; mask: MaskRule } {
  for (const [pattern, mask] of PERSONAL_HINTS) {
    if (pattern.test(label)) return { sensitivity: 'personal', mask };
  }
  return { sensitivity: 'public', mask: 'none' };
}

const USCC_HINT = /统一社会信用代码|社会信用代码|信用代码|uscc|credit.?code/i;

/**
 * A first guess at whether a column identifies a data subject: resident-ID columns (those masked
 * as ID numbers) name people, credit-code columns name businesses. The steward corrects it.
 */
export function guessSubject(label: string, mask: MaskRule): SubjectKind | undefined {
  if (mask === 'id_number') return 'resident_id';
  return USCC_HINT.test(label) ? 'uscc' : undefined;
}

/** The dictionary entry of a column a load produced, keeping what the steward wrote before. */
export function dictionaryColumn(
  id: string,
  label: string,
  type: DatastoreType,
  previous: DictionaryColumn | undefined,
): DictionaryColumn {
  if (previous) return { ...previous, id, type, label: previous.label || label };
  const guess = guessSensitivity(label);
  const subject = guessSubject(label, guess.mask);
  return { id, label, type, ...guess, ...(subject ? { subject } : {}) };
}

/** Finds a column by id or by its original label (what people type in `--key 统一社会信用代码`). */
export function findColumn(
  columns: readonly DictionaryColumn[],
  idOrLabel: string,
): DictionaryColumn | undefined {
  return columns.find((c) => c.id === idOrLabel) ?? columns.find((c) => c.label === idOrLabel);
}
