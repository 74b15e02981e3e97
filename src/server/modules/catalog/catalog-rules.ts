import type {
  CatalogKind,
  Contact,
  DataItem,
  FormatClass,
  OpenType,
  SensitivityLevel,
  ShareType,
  UpdateCycle,
} from '../../../contracts/catalog.ts';
import { AppError } from '../../platform/errors.ts';
import { licenseById } from './licenses.ts';

/** A resource's metadata with every default applied: what is stored and what the rules judge. */
export interface DatasetFields {
  name: string;
  resourceCode: string | undefined;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  catalogKind: CatalogKind;
  themeId: string | null;
  keywords: string[];
  formatClass: FormatClass;
  dataItems: DataItem[];
  shareType: ShareType;
  shareCondition: string | null;
  shareLegalBasis: string | null;
  openType: OpenType;
  openCondition: string | null;
  updateCycle: UpdateCycle;
  related: string[];
  licenseId: string | null;
  temporalStart: string | null;
  temporalEnd: string | null;
  spatialCodes: string[];
  contact: Contact | null;
  sensitivity: SensitivityLevel;
  extras: Record<string, string>;
}

export const DEFAULT_FIELDS: Omit<DatasetFields, 'name' | 'titleZh' | 'resourceCode'> = {
  titleEn: '',
  descriptionZh: '',
  descriptionEn: '',
  catalogKind: 'departmental',
  themeId: null,
  keywords: [],
  formatClass: 'other',
  dataItems: [],
  // 以共享为原则，不共享为例外: sharing between departments is the default.
  shareType: 'unconditional',
  shareCondition: null,
  shareLegalBasis: null,
  openType: 'none',
  openCondition: null,
  updateCycle: 'irregular',
  related: [],
  licenseId: null,
  temporalStart: null,
  temporalEnd: null,
  spatialCodes: [],
  contact: null,
  sensitivity: 'internal',
  extras: {},
};

/** One broken rule, named by the field to fix. */
export interface FieldProblem {
  path: string;
  message: string;
}

const blank = (s: string | null | undefined) => !s || s.trim() === '';

/**
 * The catalog's rules beyond the schema (政务信息资源目录编制指南): a resource that is not shared needs
 * its legal basis and cannot be open; an open resource needs a licence and is shared unconditionally
 * between departments; conditions are stated where sharing or opening is conditional.
 */
export function ruleProblems(f: DatasetFields): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (f.shareType === 'none') {
    if (blank(f.shareLegalBasis))
      problems.push({
        path: '/shareLegalBasis',
        message: 'A resource that is not shared must state its legal basis',
      });
    if (f.openType !== 'none')
      problems.push({ path: '/openType', message: 'A resource that is not shared cannot be open' });
  }
  if (f.shareType === 'conditional' && blank(f.shareCondition) && blank(f.shareLegalBasis))
    problems.push({ path: '/shareCondition', message: 'Conditional sharing must state its condition' });
  if (f.openType === 'open') {
    if (blank(f.licenseId))
      problems.push({ path: '/licenseId', message: 'An open resource must have a licence' });
    if (f.shareType !== 'unconditional')
      problems.push({
        path: '/shareType',
        message: 'An open resource is shared unconditionally between departments',
      });
  }
  if (f.openType === 'conditional' && blank(f.openCondition))
    problems.push({ path: '/openCondition', message: 'Conditional opening must state its condition' });
  if (f.licenseId && !licenseById(f.licenseId))
    problems.push({ path: '/licenseId', message: `Unknown licence "${f.licenseId}"` });
  if (f.temporalStart && f.temporalEnd && f.temporalStart > f.temporalEnd)
    problems.push({ path: '/temporalEnd', message: 'The coverage ends before it starts' });
  const itemNames = new Set<string>();
  f.dataItems.forEach((item, i) => {
    if (itemNames.has(item.name))
      problems.push({ path: `/dataItems/${i}/name`, message: `Data item "${item.name}" is listed twice` });
    itemNames.add(item.name);
  });
  if (f.related.includes(f.name))
    problems.push({ path: '/related', message: 'A resource cannot be related to itself' });
  return problems;
}

/** Throws the rule problems as one validation error (400 `catalog.rules_violated`). */
export function assertRules(f: DatasetFields, extra: FieldProblem[] = []): void {
  const problems = [...ruleProblems(f), ...extra];
  if (problems.length > 0)
    throw new AppError('catalog.rules_violated', 400, problems.map((p) => p.message).join('; '), {
      fields: problems,
    });
}

/** Keywords trimmed, de-duplicated case-insensitively, in their first spelling. */
export function cleanKeywords(keywords: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of keywords) {
    const k = raw.trim();
    if (k && !seen.has(k.toLowerCase())) {
      seen.add(k.toLowerCase());
      out.push(k);
    }
  }
  return out;
}
