import type { CreateAccessRequest } from '../../../contracts/exchange.ts';
import { ApiError } from '../../app/api.ts';
import { columnCode, columnName } from './display.ts';

// The access request form as plain data: which dictionary columns can be asked for, and how the
// form's values become the API's request body. Kept free of React so it is tested on its own.

/** A dictionary column as the internal catalog describes it. */
export interface ColumnInfo {
  id: string;
  label: string;
  labelEn?: string | undefined;
  type: string;
  sensitivity: string;
}

/** One row-filter pair as typed into the form (either half may still be empty). */
export interface FilterPair {
  column?: string | undefined;
  value?: string | undefined;
}

export interface RequestFormValues {
  distributionId: string;
  requesterDepartmentId: string;
  fields: string[];
  rowFilter?: FilterPair[] | undefined;
  purpose: string;
  legalBasis: string;
  durationDays: number;
  expectedCallsPerDay?: number | null | undefined;
  systemName: string;
  delivery: 'api' | 'file';
  confidential?: boolean | undefined;
}

export const DEFAULT_DURATION_DAYS = 365;
/** The schema's ceiling; the platform's own limit (usually lower) comes from GET /api/exchange/settings. */
export const MAX_DURATION_DAYS = 1095;
export const MAX_FILTER_PAIRS = 10;

/** Secret columns are never shared; the form shows them disabled so people know they exist. */
export const isRequestable = (c: Pick<ColumnInfo, 'sensitivity'>) => c.sensitivity !== 'secret';

/** Personal columns arrive masked unless the owner lets the grantee read them in clear. */
export const isPersonal = (c: Pick<ColumnInfo, 'sensitivity'>) => c.sensitivity === 'personal';

/** Checkbox options for the columns of a table: every column, secret ones disabled, named in the UI language. */
export function fieldOptions(columns: readonly ColumnInfo[], language: string) {
  return columns.map((c) => {
    const label = columnName(c.id, [c], language);
    return {
      value: c.id,
      label,
      code: columnCode(c.id, label),
      sensitivity: c.sensitivity,
      disabled: !isRequestable(c),
    };
  });
}

/** Filled-in filter pairs with trimmed values; half-filled pairs are left to the validator. */
function completePairs(pairs: readonly FilterPair[] | undefined) {
  return (pairs ?? [])
    .map((p) => ({ column: p.column?.trim() ?? '', value: p.value?.trim() ?? '' }))
    .filter((p) => p.column && p.value);
}

export type FilterProblem = 'columnMissing' | 'valueMissing' | 'duplicate' | 'tooMany';

/** What is wrong with the row-filter pairs, by pair index (an empty pair is simply ignored). */
export function filterProblems(pairs: readonly FilterPair[] | undefined): Map<number, FilterProblem> {
  const problems = new Map<number, FilterProblem>();
  const seen = new Set<string>();
  let filled = 0;
  (pairs ?? []).forEach((p, i) => {
    const column = p.column?.trim() ?? '';
    const value = p.value?.trim() ?? '';
    if (!column && !value) return;
    if (!column) problems.set(i, 'columnMissing');
    else if (!value) problems.set(i, 'valueMissing');
    else if (seen.has(column)) problems.set(i, 'duplicate');
    else if (++filled > MAX_FILTER_PAIRS) problems.set(i, 'tooMany');
    seen.add(column);
  });
  return problems;
}

/** The filter pairs as the API's record (column → the one value rows must have). */
export function toRowFilter(pairs: readonly FilterPair[] | undefined): Record<string, string> {
  return Object.fromEntries(completePairs(pairs).map((p) => [p.column, p.value]));
}

/** The request body for POST /api/exchange/requests; secret fields never leave the form. */
export function toCreateRequest(
  values: RequestFormValues,
  columns: readonly ColumnInfo[],
): CreateAccessRequest {
  const requestable = new Set(columns.filter(isRequestable).map((c) => c.id));
  const rowFilter = toRowFilter(values.rowFilter);
  const body: CreateAccessRequest = {
    distributionId: values.distributionId,
    requesterDepartmentId: values.requesterDepartmentId,
    purpose: values.purpose.trim(),
    legalBasis: values.legalBasis.trim(),
    fields: values.fields.filter((f) => requestable.has(f)),
    durationDays: values.durationDays,
    systemName: values.systemName.trim(),
    delivery: values.delivery,
    confidential: !!values.confidential,
  };
  if (Object.keys(rowFilter).length > 0) body.rowFilter = rowFilter;
  if (typeof values.expectedCallsPerDay === 'number') body.expectedCallsPerDay = values.expectedCallsPerDay;
  return body;
}

/** Whether `days` is a whole number of days the platform grants (1 to `max`). */
export const durationInRange = (days: unknown, max: number) =>
  typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= max;

/** The longest duration the server named when it refused one as too long; undefined for other errors. */
export function refusedMaxDays(err: unknown): number | undefined {
  if (!(err instanceof ApiError) || err.code !== 'exchange.duration_too_long') return undefined;
  const max = err.details?.maxDays;
  return typeof max === 'number' ? max : undefined;
}
