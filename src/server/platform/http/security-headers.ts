import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

// helmet's security headers on every answer, from a middleware built once. (@fastify/helmet builds
// the middleware anew, parsing the content policy again, at every request: about 60 µs each, a
// twentieth of an uncached catalog search.) A route whose answers carry their own set opts out with
// `config: { securityHeaders: false }` (the exchange gateway).

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: the route sets its own security headers. */
    securityHeaders?: false;
  }
}

export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.config.securityHeaders === false) return done();
    apply(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
}
