import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { TFunction } from 'i18next';
import type {
  CatalogKind,
  CreateDatasetInput,
  DataItem,
  DatasetDto,
  FormatClass,
  OpenType,
  SensitivityLevel,
  ShareType,
  UpdateCycle,
  UpdateDatasetInput,
} from '../../../contracts/catalog.ts';
import { ApiError } from '../../app/api.ts';

// The resource form's values, how they map to and from the API, and how the server's field errors
// land on the form. Pure, so the mapping is tested without a browser.

export interface DatasetFormValues {
  departmentId?: string;
  name?: string;
  resourceCode?: string;
  titleZh: string;
  titleEn?: string;
  descriptionZh?: string;
  descriptionEn?: string;
  catalogKind: CatalogKind;
  themeId?: string | null;
  keywords: string[];
  formatClass: FormatClass;
  sensitivity: SensitivityLevel;
  updateCycle: UpdateCycle;
  shareType: ShareType;
  shareCondition?: string | null;
  shareLegalBasis?: string | null;
  openType: OpenType;
  openCondition?: string | null;
  licenseId?: string | null;
  dataItems: { name: string; type: DataItem['type']; description?: string }[];
  related: string[];
  temporalStart?: Dayjs | null;
  temporalEnd?: Dayjs | null;
  spatialCodes: string[];
  contact?: { name?: string; email?: string | null; phone?: string | null };
  extras: { key: string; value: string }[];
}

/** What a new resource starts with: the server's defaults (shared unconditionally, not open). */
export const NEW_DATASET: DatasetFormValues = {
  titleZh: '',
  catalogKind: 'departmental',
  keywords: [],
  formatClass: 'other',
  sensitivity: 'internal',
  updateCycle: 'irregular',
  shareType: 'unconditional',
  openType: 'none',
  dataItems: [],
  related: [],
  spatialCodes: [],
  extras: [],
};

const date = (iso: string | null) => (iso ? dayjs(iso) : null);

/** A stored resource as form values. */
export function toFormValues(d: DatasetDto): DatasetFormValues {
  return {
    departmentId: d.department.id,
    name: d.name,
    resourceCode: d.resourceCode,
    titleZh: d.titleZh,
    titleEn: d.titleEn,
    descriptionZh: d.descriptionZh,
    descriptionEn: d.descriptionEn,
    catalogKind: d.catalogKind,
    themeId: d.theme?.id ?? null,
    keywords: d.keywords,
    formatClass: d.formatClass,
    sensitivity: d.sensitivity,
    updateCycle: d.updateCycle,
    shareType: d.shareType,
    shareCondition: d.shareCondition,
    shareLegalBasis: d.shareLegalBasis,
    openType: d.openType,
    openCondition: d.openCondition,
    licenseId: d.licenseId,
    dataItems: d.dataItems.map((i) => ({ ...i })),
    related: d.related,
    temporalStart: date(d.temporalStart),
    temporalEnd: date(d.temporalEnd),
    spatialCodes: d.spatialCodes,
    contact: d.contact ?? {},
    extras: Object.entries(d.extras).map(([key, value]) => ({ key, value })),
  };
}

const text = (s: string | null | undefined) => s?.trim() ?? '';
const orNull = (s: string | null | undefined) => text(s) || null;

/** Attributes that decide who may see a resource; once published, only its department admin changes them. */
export const GOVERNED_FIELDS = [
  'shareType',
  'shareCondition',
  'shareLegalBasis',
  'openType',
  'openCondition',
  'sensitivity',
] as const;

/**
 * The API body of the form's values. Conditions that no longer apply (a condition for an
 * unconditional share, a licence of a closed resource) are cleared rather than kept hidden.
 */
export function toUpdateInput(v: DatasetFormValues, options: { governed: boolean } = { governed: true }) {
  const contactName = text(v.contact?.name);
  const input: UpdateDatasetInput = {
    titleZh: text(v.titleZh),
    titleEn: text(v.titleEn),
    descriptionZh: text(v.descriptionZh),
    descriptionEn: text(v.descriptionEn),
    catalogKind: v.catalogKind,
    themeId: v.themeId ?? null,
    keywords: v.keywords.map((k) => k.trim()).filter(Boolean),
    formatClass: v.formatClass,
    updateCycle: v.updateCycle,
    licenseId: v.openType === 'none' ? null : orNull(v.licenseId),
    dataItems: v.dataItems.map((i) => ({
      name: text(i.name),
      type: i.type,
      ...(text(i.description) ? { description: text(i.description) } : {}),
    })),
    related: v.related.map((r) => r.trim()).filter(Boolean),
    temporalStart: v.temporalStart ? v.temporalStart.format('YYYY-MM-DD') : null,
    temporalEnd: v.temporalEnd ? v.temporalEnd.format('YYYY-MM-DD') : null,
    spatialCodes: v.spatialCodes.map((c) => c.trim()).filter(Boolean),
    contact: contactName
      ? { name: contactName, email: orNull(v.contact?.email), phone: orNull(v.contact?.phone) }
      : null,
    extras: Object.fromEntries(v.extras.filter((e) => text(e.key)).map((e) => [text(e.key), e.value ?? ''])),
  };
  if (text(v.resourceCode)) input.resourceCode = text(v.resourceCode);
  if (options.governed) {
    input.shareType = v.shareType;
    input.shareCondition = v.shareType === 'conditional' ? orNull(v.shareCondition) : null;
    input.shareLegalBasis = v.shareType === 'unconditional' ? null : orNull(v.shareLegalBasis);
    input.openType = v.openType;
    input.openCondition = v.openType === 'conditional' ? orNull(v.openCondition) : null;
    input.sensitivity = v.sensitivity;
  }
  return input;
}

/** The API body that registers a new resource. */
export function toCreateInput(v: DatasetFormValues): CreateDatasetInput {
  const { resourceCode, ...rest } = toUpdateInput(v);
  return {
    ...rest,
    titleZh: rest.titleZh ?? '',
    name: text(v.name),
    departmentId: v.departmentId ?? '',
    ...(resourceCode ? { resourceCode } : {}),
  };
}

/** A JSON pointer of the API ("/dataItems/0/name") as an antd field name path. */
export function pointerToNamePath(pointer: string): (string | number)[] {
  return pointer
    .replace(/^\//, '')
    .split('/')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** The catalog rules the server enforces, by the field it names, in the interface language. */
export function ruleMessage(t: TFunction, path: string, serverMessage: string): string {
  const field = pointerToNamePath(path);
  switch (field[0]) {
    case 'shareLegalBasis':
      return t('catalog.rules.shareLegalBasis');
    case 'openType':
      return t('catalog.rules.notSharedNotOpen');
    case 'shareCondition':
      return t('catalog.rules.shareCondition');
    case 'shareType':
      return t('catalog.rules.openNeedsUnconditional');
    case 'openCondition':
      return t('catalog.rules.openCondition');
    case 'licenseId':
      return /unknown/i.test(serverMessage)
        ? t('catalog.rules.unknownLicence')
        : t('catalog.rules.licenseRequired');
    case 'temporalEnd':
      return t('catalog.rules.temporalOrder');
    case 'dataItems':
      return t('catalog.rules.duplicateItem');
    case 'related':
      return t('catalog.rules.relatedSelf');
    default:
      return t('errors.field_invalid', { detail: serverMessage });
  }
}

const FORM_FIELDS = new Set<string>([
  ...Object.keys(NEW_DATASET),
  'departmentId',
  'name',
  'resourceCode',
  'titleEn',
  'descriptionZh',
  'descriptionEn',
  'themeId',
  'shareCondition',
  'shareLegalBasis',
  'openCondition',
  'licenseId',
  'temporalStart',
  'temporalEnd',
  'contact',
]);

const CODE_FIELDS: Record<string, string> = {
  'catalog.name_taken': 'name',
  'catalog.code_taken': 'resourceCode',
  'catalog.invalid_department': 'departmentId',
};

/**
 * Puts a server error on the fields it names (schema violations and broken catalog rules alike).
 * Returns whether any field took it; otherwise the caller shows it above the form.
 */
export function applyDatasetErrors(
  t: TFunction,
  form: FormInstance,
  err: unknown,
  errorText: (err: unknown) => string,
): boolean {
  if (!(err instanceof ApiError)) return false;
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  const mapped = CODE_FIELDS[err.code];
  if (mapped) fields.push({ name: [mapped], errors: [errorText(err)] });
  const raw = Array.isArray(err.details?.fields)
    ? (err.details.fields as { path?: unknown; message?: unknown }[])
    : [];
  for (const f of raw) {
    if (typeof f?.path !== 'string') continue;
    const name = pointerToNamePath(f.path);
    if (!FORM_FIELDS.has(String(name[0]))) continue;
    const message = typeof f.message === 'string' ? f.message : '';
    const text =
      err.code === 'catalog.rules_violated'
        ? ruleMessage(t, f.path, message)
        : t('errors.field_invalid', { detail: message });
    fields.push({ name, errors: [text] });
  }
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}
