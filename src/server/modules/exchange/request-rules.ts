import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import type { Decision } from '../../../contracts/exchange.ts';
import { conflict, invalid } from '../../platform/errors.ts';

// The rules a request and a decision must satisfy, as pure functions of the table's dictionary and
// the request: what may be asked for, and how far an approval may narrow it (never widen).

const ids = (columns: readonly DictionaryColumn[]) => new Set(columns.map((c) => c.id));
const unique = (values: readonly string[]) => [...new Set(values)];

/**
 * The fields and row filter of a request, checked against the dictionary: every field exists and is
 * not secret, every filter column exists. Returns the fields without duplicates.
 */
export function checkScope(
  columns: readonly DictionaryColumn[],
  fields: readonly string[],
  rowFilter: Readonly<Record<string, string>>,
): string[] {
  const known = ids(columns);
  const wanted = unique(fields);
  const unknown = wanted.filter((f) => !known.has(f));
  if (unknown.length)
    throw invalid('exchange.unknown_fields', `These fields are not in the table: ${unknown.join(', ')}`, {
      fields: unknown,
    });
  const secret = columns.filter((c) => c.sensitivity === 'secret' && wanted.includes(c.id)).map((c) => c.id);
  if (secret.length)
    throw invalid(
      'exchange.secret_fields',
      `Secret fields are never shared and cannot be requested: ${secret.join(', ')}`,
      { fields: secret },
    );
  const unknownFilter = Object.keys(rowFilter).filter((f) => !known.has(f));
  if (unknownFilter.length)
    throw invalid(
      'exchange.unknown_filter_columns',
      `The row filter names columns that are not in the table: ${unknownFilter.join(', ')}`,
      { columns: unknownFilter },
    );
  return wanted;
}

/** What an approval grants, after narrowing. */
export interface ApprovedScope {
  fields: string[];
  rowFilter: Record<string, string>;
  durationDays: number;
  clearFields: string[];
  confidential: boolean;
  rateLimitPerMinute: number;
}

const widening = (what: string, details: Record<string, unknown>) =>
  conflict('exchange.widening', `An approval may narrow a request, never widen it: ${what}`, details);

/**
 * The scope an approval grants: the request's, narrowed by the decision. Anything wider than asked
 * (more fields, a dropped or changed filter condition, a longer duration, confidentiality nobody
 * asked for) is a 409; clear fields must be personal fields of the grant.
 */
export function narrowScope(
  columns: readonly DictionaryColumn[],
  request: {
    fields: readonly string[];
    rowFilter: Readonly<Record<string, string>>;
    durationDays: number;
    confidential: boolean;
  },
  decision: Decision,
  defaultRate: number,
): ApprovedScope {
  const fields = decision.fields ? unique(decision.fields) : [...request.fields];
  const extra = fields.filter((f) => !request.fields.includes(f));
  if (extra.length) throw widening(`fields not requested: ${extra.join(', ')}`, { fields: extra });

  const rowFilter = { ...request.rowFilter, ...(decision.rowFilter ?? {}) };
  if (decision.rowFilter) {
    const loosened = Object.entries(request.rowFilter)
      .filter(([k, v]) => decision.rowFilter?.[k] !== v)
      .map(([k]) => k);
    if (loosened.length)
      throw widening(`the requester's filter must be kept: ${loosened.join(', ')}`, { columns: loosened });
  }
  const durationDays = decision.durationDays ?? request.durationDays;
  if (durationDays > request.durationDays)
    throw widening(`duration longer than the ${request.durationDays} days asked for`, {
      durationDays: request.durationDays,
    });
  const confidential = decision.confidential ?? request.confidential;
  if (confidential && !request.confidential)
    throw widening('the request did not ask for confidential access', {});

  // Secret or dropped columns no longer in the dictionary are refused as for the request itself.
  checkScope(columns, fields, rowFilter);
  const clearFields = unique(decision.clearFields ?? []);
  const byId = new Map(columns.map((c) => [c.id, c]));
  const notPersonal = clearFields.filter(
    (f) => byId.get(f)?.sensitivity !== 'personal' || !fields.includes(f),
  );
  if (notPersonal.length)
    throw invalid(
      'exchange.invalid_clear_fields',
      `Clear fields must be personal fields of the grant: ${notPersonal.join(', ')}`,
      { fields: notPersonal },
    );
  return {
    fields,
    rowFilter,
    durationDays,
    clearFields,
    confidential,
    rateLimitPerMinute: decision.rateLimitPerMinute ?? defaultRate,
  };
}
