import { AppError } from '../../../platform/errors.ts';

export type LoadErrorCode =
  | 'datastore.unsupported_format'
  | 'datastore.binary_file'
  | 'datastore.empty_file'
  | 'datastore.no_rows'
  | 'datastore.too_many_columns'
  | 'datastore.zip_bomb'
  | 'datastore.bad_xlsx'
  | 'datastore.bad_json'
  | 'datastore.bad_parquet'
  | 'datastore.unsupported_encoding'
  | 'datastore.sheet_not_found';

/** A file the DataStore cannot load, with a stable code; 422 because the upload itself is at fault. */
export class LoadError extends AppError {
  constructor(
    override readonly code: LoadErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, 422, message, details);
    this.name = 'LoadError';
  }
}

/** The error for a file wider than PostgreSQL allows. */
export function tooManyColumns(count: number, max: number, atLeast = false): LoadError {
  return new LoadError(
    'datastore.too_many_columns',
    `The file has ${atLeast ? 'at least ' : ''}${count} columns; at most ${max} can be loaded`,
    { columns: count, maxColumns: max },
  );
}
