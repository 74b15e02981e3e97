import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; requestId: string };
}

/**
 * One error handler: AppErrors keep their code and status; schema violations become
 * `validation.failed` with the offending fields; anything else is a 500 whose text never leaves the server.
 */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const requestId = request.id;
    if (err instanceof AppError) {
      if (err.status >= 500) request.log.error({ err }, 'application error');
      const body: ErrorBody = {
        error: { code: err.code, message: err.message, details: err.details, requestId },
      };
      return reply.status(err.status).send(body);
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const fields = fe.validation.map((v) => ({
        path: (
          v.instancePath ||
          (v.params as { missingProperty?: string })?.missingProperty ||
          ''
        ).toString(),
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send({
        error: {
          code: 'validation.failed',
          message: 'The request is not valid',
          details: { fields },
          requestId,
        },
      } satisfies ErrorBody);
    }
    const status = fe.statusCode ?? 500;
    if (status === 429) {
      return reply.status(429).send({
        error: {
          code: 'http.rate_limited',
          message: 'Too many requests; slow down and retry shortly',
          requestId,
        },
      } satisfies ErrorBody);
    }
    if (status >= 400 && status < 500) {
      const code = fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'http.body_too_large' : 'http.bad_request';
      return reply
        .status(status)
        .send({ error: { code, message: fe.message, requestId } } satisfies ErrorBody);
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({
      error: {
        code: 'internal',
        message: 'Something went wrong on our side; the request id helps support find it',
        requestId,
      },
    } satisfies ErrorBody);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: {
        code: 'http.not_found',
        message: `No route ${request.method} ${request.url.split('?')[0]}`,
        requestId: request.id,
      },
    } satisfies ErrorBody);
  });
}
