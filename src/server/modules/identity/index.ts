import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';

export async function identityModule(_app: FastifyInstance, _opts: { ctx: AppContext }) {}
