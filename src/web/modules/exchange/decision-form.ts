import type { AccessRequest, Decision } from '../../../contracts/exchange.ts';
import { type ColumnInfo, type FilterPair, isPersonal, toRowFilter } from './request-form.ts';

// The owner's decision as plain data. An approval may narrow what was asked — fewer fields, more
// filter conditions, a shorter duration — but never widen it; the server refuses widening with a
// 409, and the dialog says so before anyone presses the button.

type Requested = Pick<AccessRequest, 'fields' | 'rowFilter' | 'durationDays' | 'confidential'>;

export interface DecisionFormValues {
  decision: 'approve' | 'refuse';
  reason?: string | undefined;
  fields: string[];
  /** Conditions added to the requester's own filter, which stays as it is. */
  extraFilter?: FilterPair[] | undefined;
  durationDays: number;
  rateLimitPerMinute?: number | null | undefined;
  clearFields?: string[] | undefined;
  confidential?: boolean | undefined;
}

/** The dialog's starting point: approve everything as asked. */
export const initialDecision = (r: Requested): DecisionFormValues => ({
  decision: 'approve',
  fields: [...r.fields],
  extraFilter: [],
  durationDays: r.durationDays,
  clearFields: [],
  confidential: r.confidential,
});

export type NarrowingProblem =
  | 'reasonRequired'
  | 'fieldsEmpty'
  | 'fieldsWiden'
  | 'durationWiden'
  | 'durationRange'
  | 'rateRange'
  | 'filterChanges'
  | 'clearNotPersonal'
  | 'confidentialWiden';

/** The platform's limits (GET /api/exchange/settings); unknown ones are left to the server. */
export interface DecisionLimits {
  maxGrantDays?: number | undefined;
  maxRatePerMinute?: number | undefined;
}

const wholeIn = (n: unknown, min: number, max = Number.POSITIVE_INFINITY) =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/**
 * Why the decision would be refused, keyed by the form field it concerns. Out-of-range numbers are
 * problems to show, never values to correct quietly.
 */
export function decisionProblems(
  r: Requested,
  v: DecisionFormValues,
  columns: readonly ColumnInfo[],
  limits: DecisionLimits = {},
): Partial<Record<keyof DecisionFormValues, NarrowingProblem>> {
  if (v.decision === 'refuse') return v.reason?.trim() ? {} : { reason: 'reasonRequired' };
  const problems: Partial<Record<keyof DecisionFormValues, NarrowingProblem>> = {};
  const asked = new Set(r.fields);
  if (v.fields.length === 0) problems.fields = 'fieldsEmpty';
  else if (v.fields.some((f) => !asked.has(f))) problems.fields = 'fieldsWiden';
  if (!wholeIn(v.durationDays, 1, limits.maxGrantDays)) problems.durationDays = 'durationRange';
  else if (v.durationDays > r.durationDays) problems.durationDays = 'durationWiden';
  if (v.rateLimitPerMinute != null && !wholeIn(v.rateLimitPerMinute, 1, limits.maxRatePerMinute)) {
    problems.rateLimitPerMinute = 'rateRange';
  }
  if (Object.keys(toRowFilter(v.extraFilter)).some((column) => column in r.rowFilter)) {
    problems.extraFilter = 'filterChanges';
  }
  const personal = new Set(columns.filter(isPersonal).map((c) => c.id));
  if ((v.clearFields ?? []).some((f) => !personal.has(f) || !v.fields.includes(f))) {
    problems.clearFields = 'clearNotPersonal';
  }
  if (v.confidential && !r.confidential) problems.confidential = 'confidentialWiden';
  return problems;
}

/** The body of POST /api/exchange/requests/:id/decision. */
export function toDecisionBody(r: Requested, v: DecisionFormValues): Decision {
  if (v.decision === 'refuse') return { decision: 'refuse', reason: v.reason?.trim() ?? '' };
  const body: Decision = {
    decision: 'approve',
    fields: v.fields.filter((f) => r.fields.includes(f)),
    durationDays: v.durationDays,
    clearFields: (v.clearFields ?? []).filter((f) => v.fields.includes(f)),
    confidential: r.confidential && !!v.confidential,
  };
  // The requester's conditions are kept as they were; the owner's come on top.
  const extra = toRowFilter(v.extraFilter);
  if (Object.keys(extra).length > 0) body.rowFilter = { ...extra, ...r.rowFilter };
  if (typeof v.rateLimitPerMinute === 'number') body.rateLimitPerMinute = v.rateLimitPerMinute;
  const reason = v.reason?.trim();
  if (reason) body.reason = reason;
  return body;
}
