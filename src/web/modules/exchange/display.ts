// How exchange records are named on screen, as plain functions tested without a browser: history
// events, dictionary columns in the UI language, access-log operations.

/** The locale key (under exchange.history.action) of a history event. */
export function historyActionKey(entry: { action: string; details?: Record<string, unknown> }): string {
  // Event names are the server's ("exchange.grant.renew" or "renew").
  const name = entry.action.split('.').pop() ?? entry.action;
  // A new credential replacing one is recorded as an issue with rotated: true.
  if ((name === 'credential_issue' || name === 'issue') && entry.details?.rotated === true) return 'rotate';
  return name;
}

/**
 * Who to name for an event the platform itself wrote, as a key of exchange.history.systemActor;
 * null for a person's step. Reminders and escalations come only from the deadline tick, whose
 * internal label ("exchange-deadlines") means nothing to a reader in either language.
 */
export function historySystemActor(entry: { action: string }): 'deadlines' | null {
  const name = entry.action.split('.').pop() ?? entry.action;
  return name === 'remind' || name === 'escalate' ? 'deadlines' : null;
}

/** A column's labels as the data dictionary gives them (the API's columnLabels items). */
export interface ColumnLabels {
  id: string;
  label?: string | undefined;
  labelEn?: string | undefined;
}

/** A column's name in the UI language: the English label in English, else the Chinese one, else the id. */
export function columnName(id: string, labels: readonly ColumnLabels[] | undefined, language: string) {
  const c = labels?.find((x) => x.id === id);
  return (language.startsWith('en') && c?.labelEn?.trim()) || c?.label?.trim() || id;
}

/**
 * The id to show beside a column's name, when it adds something: a machine name (ASCII) the API
 * uses, other than the name itself. Never the label again, nor its derived Chinese form.
 */
export const columnCode = (id: string, name: string) =>
  /^[A-Za-z][A-Za-z0-9_]*$/.test(id) && id !== name ? id : undefined;

/** Column ids by name, in the order given. */
export const columnNames = (
  ids: readonly string[],
  labels: readonly ColumnLabels[] | undefined,
  language: string,
) => ids.map((id) => columnName(id, labels, language));

/** What a gateway call did, as the access log records it. */
export const LOG_OPERATIONS = ['records', 'lookup', 'grant', 'extract'] as const;

/** The locale key naming an access-log operation, or undefined for one this UI does not know. */
export const operationKey = (operation: string) =>
  (LOG_OPERATIONS as readonly string[]).includes(operation)
    ? `exchange.log.operations.${operation}`
    : undefined;

/** What an approval granted, as its history entry records it. */
export interface GrantedScope {
  fields: string[];
  rowFilter: Record<string, string>;
  durationDays: number;
  clearFields: string[];
  rateLimitPerMinute: number;
  confidential: boolean;
}

/**
 * What the approval of a request granted (read from its approve event), or undefined while it is
 * not approved or the event does not say.
 */
export function grantedScope(
  history: readonly { action: string; details?: Record<string, unknown> }[] | undefined,
) {
  const approval = [...(history ?? [])]
    .reverse()
    .find((e) => ['approve', 'auto_approve'].includes(e.action.split('.').pop() ?? ''));
  const d = approval?.details;
  if (!d || !Array.isArray(d.fields) || typeof d.durationDays !== 'number') return undefined;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const filter =
    d.rowFilter && typeof d.rowFilter === 'object' ? (d.rowFilter as Record<string, unknown>) : {};
  return {
    fields: strings(d.fields),
    rowFilter: Object.fromEntries(
      Object.entries(filter).filter((e): e is [string, string] => typeof e[1] === 'string'),
    ),
    durationDays: d.durationDays,
    clearFields: strings(d.clearFields),
    rateLimitPerMinute: typeof d.rateLimitPerMinute === 'number' ? d.rateLimitPerMinute : 0,
    confidential: d.confidential === true,
  } satisfies GrantedScope;
}

/** Whether the grant gives less than was asked (fewer columns, more conditions, a shorter time). */
export const isNarrowed = (
  asked: { fields: readonly string[]; rowFilter: Record<string, string>; durationDays: number },
  granted: GrantedScope,
) =>
  granted.fields.length < asked.fields.length ||
  Object.keys(granted.rowFilter).length > Object.keys(asked.rowFilter).length ||
  granted.durationDays < asked.durationDays;
