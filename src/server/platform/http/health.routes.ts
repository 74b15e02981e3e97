import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context.ts';

/** Liveness (the process answers) and readiness (the database answers and is migrated). */
export async function healthRoutes(app: FastifyInstance, opts: { ctx: AppContext }) {
  const { db, engine } = opts.ctx;
  const hidden = { hide: true } as const;
  app.get('/healthz', { schema: hidden, logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hidden, logLevel: 'warn' }, async (_request, reply) => {
    try {
      await sql`select 1 from audit_head limit 1`.execute(db);
      return { status: 'ready', engine };
    } catch {
      return reply.status(503).send({ status: 'unavailable', engine });
    }
  });
}
