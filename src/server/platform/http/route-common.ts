import { Type } from 'typebox';
import { ErrorSchema } from '../../../contracts/common.ts';

/** Either credential works: `Authorization: Bearer cvt_…` or the session cookie (writes add X-CSRF-Token). */
export const security: { [scheme: string]: string[] }[] = [{ bearer: [] }, { session: [] }];
export const denied = { 401: ErrorSchema, 403: ErrorSchema } as const;
export const failures = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
} as const;
/** Responses of a route that answers 204 on success. */
export const noContent = { 204: Type.Null(), ...failures } as const;
