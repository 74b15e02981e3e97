import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { AppError } from './errors.ts';

/**
 * Checks input against its contract schema. Routes validate already; this guards the exported service
 * functions that the demo loader, CLI and other modules call without HTTP in between.
 */
export function assertValid(schema: TSchema, value: unknown): void {
  if (Value.Check(schema, value)) return;
  const fields = Value.Errors(schema, value).map((e) => ({ path: e.instancePath, message: e.message }));
  throw new AppError('validation.failed', 400, 'The request is not valid', { fields });
}
