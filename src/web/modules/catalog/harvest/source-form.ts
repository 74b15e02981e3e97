import type { TFunction } from 'i18next';
import type {
  CreateHarvestSourceInput,
  HarvestKind,
  HarvestLimits,
  HarvestSchedule,
  HarvestSourceDto,
  UpdateHarvestSourceInput,
} from '../../../../contracts/harvest.ts';
import { ApiError } from '../../../app/api.ts';
import { HARVEST_LIMIT_DEFAULTS } from './constants.ts';

// The source form's values, how they map to and from the API, and where the server's field errors
// land. Pure, so the mapping is tested without a browser.

const MB = 1024 * 1024;

export interface SourceFormValues {
  name: string;
  title: string;
  kind: HarvestKind;
  url: string;
  departmentId?: string;
  schedule: HarvestSchedule;
  maxPages: number;
  /** maxResponseBytes in megabytes: people think of response sizes in MB, the API counts bytes. */
  maxResponseMb: number;
  maxSeconds: number;
  maxDatasets: number;
}
export type SourceField = keyof SourceFormValues;

/** Bytes as megabytes with at most two decimals (20971520 → 20). */
export const bytesToMb = (bytes: number) => Math.round((bytes / MB) * 100) / 100;
export const mbToBytes = (mb: number) => Math.round(mb * MB);

/** What the form starts with: a new source's defaults, or the source as it is. */
export function toFormValues(source?: HarvestSourceDto): Partial<SourceFormValues> {
  const limits: HarvestLimits = source?.limits ?? HARVEST_LIMIT_DEFAULTS;
  const common = {
    maxPages: limits.maxPages,
    maxResponseMb: bytesToMb(limits.maxResponseBytes),
    maxSeconds: limits.maxSeconds,
    maxDatasets: limits.maxDatasets,
  };
  if (!source) return { kind: 'ckan', schedule: 'manual', ...common };
  return {
    name: source.name,
    title: source.title,
    kind: source.kind,
    url: source.url,
    departmentId: source.department.id,
    schedule: source.schedule,
    ...common,
  };
}

function toLimits(v: SourceFormValues): HarvestLimits {
  return {
    maxPages: v.maxPages,
    maxResponseBytes: mbToBytes(v.maxResponseMb),
    maxSeconds: v.maxSeconds,
    maxDatasets: v.maxDatasets,
  };
}

export function toCreateInput(v: SourceFormValues): CreateHarvestSourceInput {
  return {
    name: v.name.trim(),
    title: v.title.trim(),
    kind: v.kind,
    url: v.url.trim(),
    departmentId: v.departmentId ?? '',
    schedule: v.schedule,
    limits: toLimits(v),
  };
}

/** Everything but the name, which never changes. */
export function toUpdateInput(v: SourceFormValues): UpdateHarvestSourceInput {
  const { name: _name, ...rest } = toCreateInput(v);
  return rest;
}

/** Domain error codes that concern one field. */
const CODE_FIELDS: Record<string, SourceField> = {
  'catalog.harvest_source_name_taken': 'name',
  'catalog.harvest_invalid_url': 'url',
  'catalog.invalid_department': 'departmentId',
};

const FORM_FIELDS = new Set<string>([
  'name',
  'title',
  'kind',
  'url',
  'departmentId',
  'schedule',
  'maxPages',
  'maxSeconds',
  'maxDatasets',
]);

/** The form field an API path names: "/url", "name" (missing), "/limits/maxResponseBytes". */
export function fieldOfPath(path: string): SourceField | undefined {
  const parts = path.replace(/^\//, '').split('/').filter(Boolean);
  const [first, second] = parts;
  if (first === 'limits') {
    if (second === 'maxResponseBytes') return 'maxResponseMb';
    return second && FORM_FIELDS.has(second) ? (second as SourceField) : undefined;
  }
  return first && FORM_FIELDS.has(first) ? (first as SourceField) : undefined;
}

/**
 * The server's error as messages on the fields it names (domain codes and schema violations).
 * Empty when it names none: the caller shows it above the form instead.
 */
export function sourceFieldErrors(
  t: TFunction,
  err: unknown,
  errorText: (err: unknown) => string,
): { name: SourceField; errors: string[] }[] {
  if (!(err instanceof ApiError)) return [];
  const byField = new Map<SourceField, string>();
  const mapped = CODE_FIELDS[err.code];
  // A domain code says it best, in the person's language; its field paths would only repeat it.
  if (mapped) byField.set(mapped, errorText(err));
  const raw = Array.isArray(err.details?.fields)
    ? (err.details.fields as { path?: unknown; message?: unknown }[])
    : [];
  for (const f of raw) {
    if (typeof f?.path !== 'string') continue;
    const field = fieldOfPath(f.path);
    if (!field || byField.has(field)) continue;
    const detail = typeof f.message === 'string' ? f.message : '';
    byField.set(field, t('errors.field_invalid', { detail }));
  }
  return [...byField].map(([name, message]) => ({ name, errors: [message] }));
}
