import type { FastifyError } from 'fastify';
import { AppError } from '../../../platform/errors.ts';

// CKAN's response envelope (ckan/views/api.py): every answer is
//   {"help": "<site>/api/3/action/help_show?name=<action>", "success": true, "result": …}
// and every failure
//   {"help": …, "success": false, "error": {"__type": "<type>", "message": …, <field>: [messages]}}
// with CKAN's statuses: 400 Bad request / Search Query Error, 403 Authorization Error, 404 Not Found
// Error, 409 Validation Error and Search Error, 500 Internal Server Error. Civitas's own AppErrors are
// translated here so that services stay unaware of the compatibility layer. Deliberate difference:
// CKAN answers a bad request (unknown action, bad JSON) with a bare JSON string; we keep the envelope
// (type "Bad Request", CKAN's message text), which every CKAN client handles the same way.

export type CkanErrorType =
  | 'Bad Request'
  | 'Authorization Error'
  | 'Not Found Error'
  | 'Validation Error'
  | 'Search Query Error'
  | 'Search Error'
  | 'Too Many Requests'
  | 'Internal Server Error';

/** Field → messages, as CKAN's ValidationError.error_dict (nested lists for resources). */
export type CkanFieldErrors = Record<string, unknown>;

/** An error rendered in CKAN's shape. */
export class CkanError extends Error {
  constructor(
    readonly status: number,
    readonly type: CkanErrorType,
    message: string,
    readonly fields: CkanFieldErrors = {},
  ) {
    super(message);
    this.name = 'CkanError';
  }
}

/** 409 Validation Error with CKAN field names. */
export const validationError = (fields: CkanFieldErrors, message = 'The request is not valid') =>
  new CkanError(409, 'Validation Error', message, fields);
export const missingValue = (field: string) =>
  validationError({ [field]: ['Missing value'] }, `Missing value: ${field}`);
export const badRequest = (detail: string) => new CkanError(400, 'Bad Request', `Bad request - ${detail}`);
export const notFoundError = (detail: string) =>
  new CkanError(404, 'Not Found Error', `Not found: ${detail}`);
export const accessDenied = (detail?: string) =>
  new CkanError(403, 'Authorization Error', detail ? `Access denied: ${detail}` : 'Access denied');
export const searchError = (detail: string) => new CkanError(409, 'Search Error', `Search error: ${detail}`);
export const searchQueryError = (detail: string) =>
  new CkanError(400, 'Search Query Error', `Search Query is invalid: ${detail}`);

/** The help URL CKAN puts in every answer. */
export const helpUrl = (baseUrl: string, action: string) =>
  `${baseUrl}/api/3/action/help_show?name=${encodeURIComponent(action)}`;

export interface CkanSuccess {
  help: string;
  success: true;
  result: unknown;
}
export interface CkanFailure {
  help: string;
  success: false;
  error: { __type: CkanErrorType; message: string } & CkanFieldErrors;
}

export const okEnvelope = (help: string, result: unknown): CkanSuccess => ({ help, success: true, result });

// Civitas field names (the paths of AppError details.fields) → CKAN's.
const FIELD_NAMES: Record<string, string> = {
  titleZh: 'title',
  titleEn: 'title_en',
  descriptionZh: 'notes',
  descriptionEn: 'notes_en',
  departmentId: 'owner_org',
  keywords: 'tags',
  themeId: 'groups',
  licenseId: 'license_id',
  contact: 'maintainer',
  mediaType: 'mimetype',
  file: 'upload',
};

/** `/titleZh` → `title`, `/keywords/3` → `tags`, `/resourceCode` → `resource_code`. */
export function ckanFieldOf(path: string): string {
  const first = path.split('/').find((s) => s !== '') ?? '';
  if (!first) return 'data';
  return FIELD_NAMES[first] ?? first.replaceAll(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** AppError field problems as CKAN's {field: [messages]}. */
export function ckanFieldErrors(
  problems: readonly { path: string; message: string }[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of problems) {
    const field = ckanFieldOf(p.path);
    out[field] = [...(out[field] ?? []), p.message];
  }
  return out;
}

// Codes whose problem belongs to one CKAN field, for AppErrors that carry no field list.
const CODE_FIELDS: Record<string, string> = {
  'catalog.invalid_department': 'owner_org',
  'catalog.invalid_state': 'state',
  'catalog.multipart_required': 'upload',
  'catalog.file_required': 'upload',
  // datastore_search_sql: CKAN reports a failing or too slow statement under "query".
  'datastore.sql_invalid': 'query',
  'datastore.sql_timeout': 'query',
};

/** Any error as CKAN's status and error object; 5xx text never leaves the server. */
export function toCkanError(err: unknown): CkanError {
  if (err instanceof CkanError) return err;
  if (err instanceof AppError) return fromAppError(err);
  const fe = err as FastifyError;
  const status = fe?.statusCode ?? 500;
  if (fe?.code === 'FST_REQ_FILE_TOO_LARGE')
    return validationError({ upload: ['File upload too large'] }, 'File upload too large');
  if (fe?.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return badRequest(`JSON Error: ${fe.message}`);
  if (status === 429)
    return new CkanError(429, 'Too Many Requests', 'Too many requests; slow down and retry shortly');
  if (status === 413) return new CkanError(413, 'Bad Request', 'Bad request - the request body is too large');
  if (status >= 400 && status < 500) return new CkanError(400, 'Bad Request', `Bad request - ${fe.message}`);
  return new CkanError(500, 'Internal Server Error', 'Internal Server Error');
}

function fromAppError(err: AppError): CkanError {
  if (err.status === 401 || err.status === 403) return accessDenied(err.message);
  if (err.status === 404) return notFoundError(err.message);
  if (err.status === 429) return new CkanError(429, 'Too Many Requests', err.message);
  if (err.status === 413) return validationError({ upload: [err.message] }, err.message);
  if (err.code === 'catalog.invalid_filter') return searchError(err.message);
  if (err.status >= 500) return new CkanError(500, 'Internal Server Error', 'Internal Server Error');
  const problems = err.details?.fields;
  if (Array.isArray(problems) && problems.length > 0)
    return validationError(ckanFieldErrors(problems as { path: string; message: string }[]), err.message);
  const field = CODE_FIELDS[err.code];
  return validationError(field ? { [field]: [err.message] } : {}, err.message);
}

/** The failure body of an error. */
export function failureEnvelope(help: string, err: CkanError): CkanFailure {
  return { help, success: false, error: { ...err.fields, __type: err.type, message: err.message } };
}
