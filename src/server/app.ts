import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Redis } from 'ioredis';
import { auditModule } from './modules/audit/index.ts';
import { calendarModule } from './modules/calendar/index.ts';
import { catalogModule } from './modules/catalog/index.ts';
import { datastoreModule } from './modules/datastore/index.ts';
import { exchangeModule } from './modules/exchange/index.ts';
import { identityModule } from './modules/identity/index.ts';
import { authPlugin } from './platform/auth/auth.plugin.ts';
import type { AppContext } from './platform/context.ts';
import { installErrorHandler } from './platform/http/error-handler.ts';
import { healthRoutes } from './platform/http/health.routes.ts';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import { validatorCompiler } from './platform/http/validator.ts';

registerAjvFormats();

export interface BuildOptions {
  /** Directory of the built web app (vite build); the UI is not served when absent. */
  webDir?: string | undefined;
  /** Pino logger options; false silences logs (tests). */
  logger?: boolean | object;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP application: platform plugins first, then one plugin per module, then the web app. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: ctx.config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-ckan-api-key"]'],
            ...(typeof options.logger === 'object' ? options.logger : {}),
          },
    trustProxy: ctx.config.trustProxy,
    // Honour a caller's request id (load balancers, X-Road-style tracing) when it is sane.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  installErrorHandler(app);

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // Ant Design injects its CSS-in-JS styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: ctx.config.publicUrl?.startsWith('https:') ? { maxAge: 31536000 } : false,
  });
  await app.register(cookie);
  // Several app nodes share their counters through Redis when it is configured; one node counts in memory.
  const redis = ctx.config.redisUrl
    ? new Redis(ctx.config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  if (redis) app.addHook('onClose', async () => void (await redis.quit()));
  await app.register(rateLimit, {
    max: ctx.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz',
    ...(redis ? { redis, nameSpace: 'civitas-rl:' } : {}),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Civitas API',
        version: '0.1.0',
        description:
          'Digital-government platform API. Authenticate with a session cookie (browser; writes need the ' +
          'X-CSRF-Token header) or an API token: `Authorization: Bearer cvt_…`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'civitas_sid' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Uploads stream to storage, which refuses them past the configured size (413). Busboy's own limit sits
  // one byte higher: at its limit it only truncates the stream, which would look like a complete file.
  await app.register(multipart, {
    limits: { fileSize: ctx.config.maxUploadBytes + 1, files: 1, fields: 20, fieldSize: 64 * 1024 },
  });

  const indexHtml =
    options.webDir && fs.existsSync(path.join(options.webDir, 'index.html'))
      ? fs.readFileSync(path.join(options.webDir, 'index.html'))
      : undefined;
  // Routes that negotiate between data and a page (a dataset URL serves RDF or the web app) use this.
  app.decorateReply('sendSpaIndex', function sendSpaIndex(this: FastifyReply) {
    if (!indexHtml) return notFoundReply(this);
    return this.type('text/html').send(indexHtml);
  });

  await app.register(authPlugin, { ctx });
  await app.register(healthRoutes, { ctx });
  await app.register(identityModule, { ctx });
  await app.register(auditModule, { ctx });
  await app.register(calendarModule, { ctx });
  await app.register(catalogModule, { ctx });
  await app.register(datastoreModule, { ctx });
  await app.register(exchangeModule, { ctx });

  if (options.webDir && indexHtml) await serveWeb(app, options.webDir);
  return app;
}

declare module 'fastify' {
  interface FastifyReply {
    /** Sends the web app's index.html (404 when the web app is not built). */
    sendSpaIndex(): FastifyReply;
  }
}

function notFoundReply(reply: FastifyReply) {
  const { request } = reply;
  const url = request.url.split('?')[0] ?? '';
  return reply.status(404).send({
    error: { code: 'http.not_found', message: `No route ${request.method} ${url}`, requestId: request.id },
  });
}

/** Serves the built single-page app; unknown non-API paths get index.html so client routes work on reload. */
async function serveWeb(app: FastifyInstance, webDir: string) {
  await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: ['index.html'] });
  // A catch-all GET route rather than a second not-found handler: installErrorHandler already set
  // the instance's one, and Fastify refuses to set it twice (start-up failed once dist/web existed).
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (url.startsWith('/api/') || url.includes('.')) return notFoundReply(reply);
    return reply.sendSpaIndex();
  });
}
