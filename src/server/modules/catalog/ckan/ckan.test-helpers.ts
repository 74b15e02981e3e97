import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { readyApp, type TestApp } from '../../../../../test/support/test-app.ts';
import { createTestContext } from '../../../../../test/support/test-context.ts';
import type { CreateDatasetInput, DatasetDto } from '../../../../contracts/catalog.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import type { Config } from '../../../platform/config.ts';
import type { AppContext } from '../../../platform/context.ts';
import { STRONG_PASSWORD, uniqueName } from '../../identity/identity.test-helpers.ts';
import { createApiToken, createDepartment, createStaff } from '../../identity/index.ts';
import { addLinkDistribution, createDataset, reviewDataset, submitDataset } from '../index.ts';
import { ckanRoutes } from './ckan.routes.ts';

// Factories for the CKAN API tests: an app serving the API, departments with stewards and admins
// holding API tokens, and published datasets.

/** A full HTTP app with the CKAN API, whether or not app.ts registers it yet. */
export async function createCkanTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const ctx = await createTestContext(overrides);
  return readyApp(
    ctx,
    () => ctx.dispose(),
    async (app) => {
      if (!app.hasRoute({ method: 'GET', url: '/api/3/action/:action' }))
        await app.register(ckanRoutes, { ctx });
    },
  );
}

export const system = systemActor('ckan-test');

/** A department with a data steward, a department admin (also a steward) and their API tokens. */
export async function departmentWithStaff(ctx: AppContext, code: string, nameZh = `${code}局`) {
  const dept = await createDepartment(ctx, system, { code, nameZh, nameEn: `Bureau ${code}` });
  const person = async (roles: ('data_steward' | 'dept_admin')[]) => {
    const p = await createStaff(ctx, system, {
      username: uniqueName('ckan'),
      displayName: 'CKAN tester',
      password: STRONG_PASSWORD,
      departmentId: dept.id,
      roles,
    });
    return (await createApiToken(ctx, system, p.id, { name: 'ckan client' })).token;
  };
  return {
    dept,
    stewardToken: await person(['data_steward']),
    adminToken: await person(['data_steward', 'dept_admin']),
  };
}

/** A published dataset made through the services, with link distributions of the given formats. */
export async function publishedDataset(
  ctx: AppContext,
  input: Partial<CreateDatasetInput> & { name: string; departmentId: string },
  formats: string[] = [],
): Promise<DatasetDto> {
  const ds = await createDataset(ctx, system, {
    titleZh: input.name,
    openType: 'open',
    shareType: 'unconditional',
    licenseId: 'cc-by',
    ...input,
  } as CreateDatasetInput);
  for (const format of formats)
    await addLinkDistribution(ctx, system, ds.id, {
      name: `${input.name}.${format.toLowerCase()}`,
      url: `https://example.org/${input.name}.${format.toLowerCase()}`,
      format,
    });
  await submitDataset(ctx, system, ds.id);
  return reviewDataset(ctx, system, ds.id, { decision: 'publish' });
}

/** Calls an action the way CKAN clients do: GET with query parameters or POST with JSON. */
export function ckanCall(
  app: FastifyInstance,
  action: string,
  data?: Record<string, unknown>,
  options: { method?: 'GET' | 'POST'; headers?: Record<string, string>; prefix?: string } = {},
): Promise<LightMyRequestResponse> {
  const method = options.method ?? 'POST';
  const base = `${options.prefix ?? '/api/3/action'}/${action}`;
  if (method === 'GET') {
    const query = new URLSearchParams(
      Object.entries(data ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
    const qs = query.toString();
    return app.inject({ method, url: qs ? `${base}?${qs}` : base, headers: options.headers ?? {} });
  }
  return app.inject({
    method,
    url: base,
    headers: { 'content-type': 'application/json', ...(options.headers ?? {}) },
    payload: JSON.stringify(data ?? {}),
  });
}

/** `Authorization: <token>`, the header CKAN's own clients send. */
export const ckanAuth = (token: string) => ({ authorization: token });

/** CKAN's timestamp format. */
export const CKAN_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/;

/** The result of a successful call, read loosely as the JSON it is; throws with the body otherwise. */
export const okResult = (res: LightMyRequestResponse) => {
  if (res.statusCode !== 200) throw new Error(`${res.statusCode}: ${res.body}`);
  return res.json().result;
};

/** A multipart/form-data body as CKAN clients (requests, ckanapi) send it: fields first, then `upload`. */
function multipart(fields: Record<string, string>, file: { filename: string; content: Buffer }) {
  const boundary = `----ckan${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  chunks.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts an action as multipart with the file in `upload`. */
export function ckanUpload(
  app: FastifyInstance,
  action: string,
  headers: Record<string, string>,
  fields: Record<string, string>,
  content: Buffer,
  filename = '企业名录.csv',
) {
  const body = multipart(fields, { filename, content });
  return app.inject({
    method: 'POST',
    url: `/api/3/action/${action}`,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}
