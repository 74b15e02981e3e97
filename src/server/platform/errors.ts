/** An error a client may see: a stable code, an HTTP status and a message (English; the web maps codes to i18n). */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (code: string, what: string) => new AppError(code, 404, `${what} not found`);
export const forbidden = (message = 'You are not allowed to do this') =>
  new AppError('auth.forbidden', 403, message);
export const unauthenticated = () => new AppError('auth.unauthenticated', 401, 'Sign in first');
export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(code, 400, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(code, 409, message, details);
