import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../../platform/context.ts';
import { jsonBytes } from '../../../platform/http/rendered-json.ts';
import { metaOf } from '../../../platform/http/request-meta.ts';
import { security } from '../../../platform/http/route-common.ts';
import type { FileUpload } from '../distribution.service.ts';
import type { CkanCall } from './ckan-action.ts';
import { ckanAction } from './ckan-actions.ts';
import { badRequest, failureEnvelope, helpUrl, okEnvelope, toCkanError } from './ckan-envelope.ts';
import type { CkanData } from './ckan-package-input.ts';

// The CKAN Action API v3 at /api/3/action/{name} (and /api/action/{name}, which CKAN also serves).
// Token callers (`Authorization: <token>`, `Authorization: Bearer <token>`, `X-CKAN-API-Key`) are
// resolved by the platform's auth plugin and need no CSRF token; a browser session writing here
// still sends X-CSRF-Token like everywhere else, so the API opens no cross-site hole.

const Params = Type.Object({ action: Type.String({ maxLength: 100 }) });
type Req = FastifyRequest<{ Params: { action: string } }>;

/** The site address absolute URLs start with: the configured public URL, else the request's own. */
const baseUrlOf = (ctx: AppContext, request: FastifyRequest) =>
  (ctx.config.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');

/** Request data that is not a JSON object is refused the way CKAN refuses it. */
function asData(value: unknown): CkanData {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as CkanData;
  throw badRequest(
    `JSON Error: Request data JSON decoded to ${JSON.stringify(value)?.slice(0, 100)} but it needs to be a dictionary.`,
  );
}

function parseJson(text: string): CkanData {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`JSON Error: Error decoding JSON data. ${(err as Error).message}`);
  }
  return asData(value);
}

/** Form bodies; CKAN also takes a JSON object posted as a form (what `curl -d '{…}'` sends). */
function parseForm(text: string): CkanData {
  if (text.trim().startsWith('{')) return parseJson(text);
  const out: CkanData = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/** Registers the CKAN-compatible Action API, rendering every answer and error in CKAN's envelope. */
export async function ckanRoutes(app: FastifyInstance, opts: { ctx: AppContext }) {
  const { ctx } = opts;
  // Uploads (resource_create/resource_update with a file) unless the app already parses multipart.
  if (!app.hasRequestDecorator('isMultipart'))
    await app.register(multipart, { limits: { fileSize: ctx.config.maxUploadBytes, files: 1, fields: 200 } });
  // CKAN clients post empty bodies, JSON as text and JSON as a form: all become the action's data.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.setErrorHandler((err, request, reply) => {
    const e = toCkanError(err);
    if (e.status >= 500) request.log.error({ err }, 'CKAN action failed');
    const action = (request.params as { action?: string } | undefined)?.action ?? '';
    return reply.status(e.status).send(failureEnvelope(helpUrl(baseUrlOf(ctx, request), action), e));
  });

  const handler = async (request: Req, reply: FastifyReply) => {
    const name = request.params.action;
    const action = ckanAction(name);
    if (!action) throw badRequest(`Action name not known: ${name}`);
    if (request.method === 'GET' && !action.sideEffectFree)
      throw badRequest('JSON Error: Invalid request. Please use POST method for your request');
    const call: CkanCall = {
      ctx,
      actor: request.actor,
      data: {},
      site: { baseUrl: baseUrlOf(ctx, request) },
      meta: metaOf(request),
    };
    let result: unknown;
    if (request.isMultipart()) {
      result = await runMultipart(request, (data, upload) => action.run({ ...call, data, upload }));
    } else {
      const body = request.method === 'POST' ? request.body : undefined;
      const useQuery =
        body === undefined || (action.sideEffectFree && Object.keys(asData(body)).length === 0);
      result = await action.run({ ...call, data: asData(useQuery ? (request.query ?? {}) : body) });
    }
    return reply
      .type('application/json; charset=utf-8')
      .send(jsonBytes(okEnvelope(helpUrl(call.site.baseUrl, name), result)));
  };

  const schema = {
    tags: ['ckan'],
    summary:
      'CKAN Action API v3 (see help_show); reads by GET or POST, writes by POST (JSON, form or multipart)',
    params: Params,
    security,
  };
  for (const prefix of ['/api/3/action', '/api/action']) {
    app.get(`${prefix}/:action`, { schema }, handler);
    app.post(`${prefix}/:action`, { schema }, handler);
  }
}

/**
 * Text fields, then the file in `upload` (the order every CKAN client sends): the action runs when
 * the file arrives, streaming it; whatever it leaves unread, and any later part, is discarded.
 */
async function runMultipart(
  request: FastifyRequest,
  run: (data: CkanData, upload?: FileUpload) => Promise<unknown>,
): Promise<unknown> {
  const data: CkanData = {};
  let ran = false;
  let result: unknown;
  let failure: unknown;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (ran || part.fieldname !== 'upload') {
        part.file.resume();
        continue;
      }
      ran = true;
      try {
        result = await run(data, { filename: part.filename || 'upload', content: part.file });
      } catch (err) {
        failure = err;
      } finally {
        part.file.resume();
      }
    } else if (!ran) {
      const value = String(part.value);
      const prev = data[part.fieldname];
      data[part.fieldname] =
        prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
  }
  if (failure !== undefined) throw failure;
  return ran ? result : run(data);
}
