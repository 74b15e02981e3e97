import type { FastifyRequest } from 'fastify';

/** Where a request came from, as the audit log records it. */
export interface RequestMeta {
  ip?: string | undefined;
  requestId?: string | undefined;
  userAgent?: string | undefined;
}

export const metaOf = (request: FastifyRequest): RequestMeta => ({
  ip: request.ip,
  requestId: request.id,
  userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : undefined,
});

/** True when the database refused a row because of a unique constraint (both engines report SQLSTATE 23505). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | null;
  if (e?.code !== '23505') return false;
  if (!constraint) return true;
  return e.constraint === constraint || (e.message ?? '').includes(constraint);
}
