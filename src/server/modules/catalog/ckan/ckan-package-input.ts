import type { DatasetDto, UpdateDatasetInput } from '../../../../contracts/catalog.ts';
import { licenseById } from '../licenses.ts';
import { DEFAULT_OPEN_LICENSE, DEFAULT_SHARE_CONDITION } from './ckan-mapping.ts';

// CKAN package dictionaries → Civitas dataset fields (the decisions are written down in
// ckan-mapping.ts). Pure functions: department lookup and the service calls happen in the actions.

export type CkanData = Record<string, unknown>;
/** The editable fields as the services take them (name and department handled by the caller). */
export type DatasetInputFields = UpdateDatasetInput;
export type FieldErrors = Record<string, string[]>;

const has = (data: CkanData, key: string) => Object.hasOwn(data, key) && data[key] !== undefined;

/** CKAN's boolean_validator: true, yes, t, y, 1, on (any case) are true; anything else false. */
export function ckanBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return (
    typeof value === 'string' && ['true', 'yes', 't', 'y', '1', 'on'].includes(value.trim().toLowerCase())
  );
}

/** A string parameter (numbers accepted as CKAN's form clients send them); undefined when absent. */
export function ckanString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A list parameter that may arrive as a JSON text (GET query strings and forms). */
export function ckanList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (Array.isArray(parsed)) return parsed;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function addError(errors: FieldErrors, field: string, message: string) {
  errors[field] = [...(errors[field] ?? []), message];
}

function tagsOf(data: CkanData, errors: FieldErrors): string[] | undefined {
  if (has(data, 'tags')) {
    const list = ckanList(data.tags);
    if (!list) {
      addError(errors, 'tags', 'Tags must be a list of {"name": …} objects');
      return undefined;
    }
    const names: string[] = [];
    for (const item of list) {
      const name = typeof item === 'string' ? item : ckanString((item as { name?: unknown } | null)?.name);
      if (name?.trim()) names.push(name.trim());
      else addError(errors, 'tags', 'Every tag needs a name');
    }
    return names;
  }
  if (has(data, 'tag_string')) {
    return (ckanString(data.tag_string) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return undefined;
}

function themeOf(data: CkanData, errors: FieldErrors): string | null | undefined {
  if (!has(data, 'groups')) return undefined;
  const list = ckanList(data.groups);
  if (!list) {
    addError(errors, 'groups', 'Groups must be a list of {"name": …} objects');
    return undefined;
  }
  const refs = list
    .map((g) =>
      typeof g === 'string'
        ? g
        : ckanString((g as { name?: unknown; id?: unknown } | null)?.name ?? (g as { id?: unknown })?.id),
    )
    .filter((g): g is string => !!g);
  if (refs.length > 1) addError(errors, 'groups', 'A dataset belongs to one group (theme) at most');
  return refs[0] ?? null;
}

function extrasOf(data: CkanData, errors: FieldErrors): Record<string, string> | undefined {
  if (!has(data, 'extras')) return undefined;
  const value = data.extras;
  const out: Record<string, string> = {};
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v ?? ''));
  const list = ckanList(value);
  if (list) {
    for (const item of list) {
      const e = item as { key?: unknown; value?: unknown; deleted?: unknown } | null;
      const key = ckanString(e?.key);
      if (!key) addError(errors, 'extras', 'Every extra needs a key');
      else if (!ckanBool(e?.deleted)) out[key] = text(e?.value);
    }
  } else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) out[key] = text(v);
  } else {
    addError(errors, 'extras', 'Extras must be a list of {"key": …, "value": …} objects');
  }
  return out;
}

/** CKAN clients know licences by CKAN's ids in any case, sometimes with a version suffix ("CC-BY-4.0"). */
export function normaliseLicense(id: string): string {
  const lower = id.trim().toLowerCase();
  if (licenseById(lower)) return lower;
  const unversioned = lower.replace(/-\d+(\.\d+)*$/, '');
  return licenseById(unversioned) ? unversioned : id.trim();
}

// Civitas-only keys, passed through under their snake_case names.
const CIVITAS_KEYS = {
  resource_code: 'resourceCode',
  title_en: 'titleEn',
  notes_en: 'descriptionEn',
  catalog_kind: 'catalogKind',
  format_class: 'formatClass',
  share_type: 'shareType',
  share_condition: 'shareCondition',
  share_legal_basis: 'shareLegalBasis',
  open_type: 'openType',
  open_condition: 'openCondition',
  update_cycle: 'updateCycle',
  sensitivity: 'sensitivity',
  spatial_codes: 'spatialCodes',
  temporal_start: 'temporalStart',
  temporal_end: 'temporalEnd',
  related: 'related',
  data_items: 'dataItems',
} as const satisfies Record<string, keyof DatasetInputFields>;
const NULLABLE = new Set([
  'shareCondition',
  'shareLegalBasis',
  'openCondition',
  'temporalStart',
  'temporalEnd',
]);
const ENUMS = new Set(['catalogKind', 'formatClass', 'shareType', 'openType', 'updateCycle', 'sensitivity']);
/** The access attributes `private` stands for. */
const ACCESS_KEYS = ['shareType', 'shareCondition', 'shareLegalBasis', 'openType', 'openCondition'] as const;

/**
 * The fields a CKAN dictionary sends, under Civitas's names: only keys present in `data` (what
 * package_patch applies), plus the problems found reading them, under CKAN's field names.
 */
export function sentFields(data: CkanData): { fields: DatasetInputFields; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const f: Record<string, unknown> = {};
  // An empty title is no title: the name stands in for it, as CKAN shows untitled datasets.
  if (has(data, 'title') && data.title !== '' && data.title !== null)
    f.titleZh = ckanString(data.title) ?? data.title;
  if (has(data, 'notes')) f.descriptionZh = data.notes === null ? '' : (ckanString(data.notes) ?? data.notes);
  const keywords = tagsOf(data, errors);
  if (keywords) f.keywords = keywords;
  const theme = themeOf(data, errors);
  if (theme !== undefined) f.themeId = theme;
  if (has(data, 'license_id')) {
    const id = ckanString(data.license_id)?.trim();
    f.licenseId = id ? normaliseLicense(id) : null;
  }
  const extras = extrasOf(data, errors);
  if (extras) f.extras = extras;
  if (has(data, 'maintainer') || has(data, 'maintainer_email')) {
    const name = ckanString(data.maintainer)?.trim();
    const email = ckanString(data.maintainer_email)?.trim();
    const emailField = has(data, 'maintainer_email') ? { email: email || null } : {};
    f.contact = name || email ? { name: name || (email as string), ...emailField } : null;
  }
  for (const [ckan, civitas] of Object.entries(CIVITAS_KEYS)) {
    if (!has(data, ckan)) continue;
    let value = data[ckan];
    // HTML forms send empty strings for "no value".
    if (value === '' && NULLABLE.has(civitas)) value = null;
    if ((value === '' || value === null) && ENUMS.has(civitas)) continue;
    if (civitas === 'resourceCode' && (value === '' || value === null)) continue;
    f[civitas] = value;
  }
  return { fields: f as DatasetInputFields, errors };
}

/** True when the sent data asks for a private (not open) dataset; undefined when it does not say. */
export const sentPrivate = (data: CkanData): boolean | undefined =>
  has(data, 'private') ? ckanBool(data.private) : undefined;

/** The access attributes `private` stands for, when the Civitas keys do not say otherwise. */
export function accessOfPrivate(isPrivate: boolean): Partial<DatasetInputFields> {
  return isPrivate
    ? {
        openType: 'none',
        openCondition: null,
        shareType: 'conditional',
        shareCondition: DEFAULT_SHARE_CONDITION,
      }
    : { openType: 'open', openCondition: null, shareType: 'unconditional' };
}

/**
 * Applies `private` and the licence default: explicit Civitas access keys win; `private` counts
 * only when it is new (create) or changes the dataset's current privacy; an open result without a
 * licence gets the platform's open licence.
 */
export function withAccessDefaults(
  fields: DatasetInputFields,
  isPrivate: boolean | undefined,
  current?: Pick<DatasetDto, 'openType' | 'licenseId' | 'shareCondition'>,
): DatasetInputFields {
  const explicit = ACCESS_KEYS.some((k) => fields[k] !== undefined);
  let out: DatasetInputFields = { ...fields };
  const currentPrivate = current ? current.openType !== 'open' : undefined;
  if (isPrivate !== undefined && isPrivate !== currentPrivate && !explicit) {
    const access = accessOfPrivate(isPrivate);
    // Keep a condition the dataset already states rather than replacing it with the default.
    if (access.shareType === 'conditional' && current?.shareCondition) delete access.shareCondition;
    out = { ...access, ...out };
  }
  const openType = out.openType ?? current?.openType;
  const license = out.licenseId !== undefined ? out.licenseId : current?.licenseId;
  if (openType === 'open' && !license) out.licenseId = DEFAULT_OPEN_LICENSE;
  return out;
}

/** package_update's reset: the CKAN-edited fields a full dictionary leaves out go back to empty. */
export function withUpdateResets(fields: DatasetInputFields, name: string): DatasetInputFields {
  return {
    titleZh: name,
    descriptionZh: '',
    keywords: [],
    themeId: null,
    licenseId: null,
    extras: {},
    contact: null,
    ...fields,
  };
}

/** Drops undefined values: the services' schemas take absent keys, not undefined ones. */
export function defined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}
