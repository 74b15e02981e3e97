import type { FastifyInstance } from 'fastify';
import { TestClient } from '../../../../test/support/test-app.ts';
import type { CreateDatasetInput, DatasetDto } from '../../../contracts/catalog.ts';
import type { DepartmentRoleName } from '../../../contracts/identity.ts';
import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { STRONG_PASSWORD, uniqueName } from '../identity/identity.test-helpers.ts';
import { createApiToken, createDepartment, createStaff } from '../identity/index.ts';
import { addFileDistribution, createDataset, reviewDataset, submitDataset } from './index.ts';

// Factories for catalog tests: departments with a steward and an admin, valid resources, and
// clients that call the API with a person's token.

let serial = 0;
const next = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

/** A client that authenticates every call with the person's API token. */
export function tokenClient(app: FastifyInstance, token: string): TestClient {
  const client = new TestClient(app);
  client.bearer = token;
  return client;
}

export interface CatalogDept {
  id: string;
  code: string;
  /** Clients of a data steward, a department admin and a case handler of this department. */
  steward: TestClient;
  admin: TestClient;
  handler: TestClient;
}

async function staffClient(
  ctx: AppContext,
  app: FastifyInstance,
  departmentId: string,
  roles: DepartmentRoleName[],
) {
  const system = systemActor('catalog-test');
  const person = await createStaff(ctx, system, {
    username: uniqueName(roles[0]?.replace('_', '') ?? 'staff'),
    displayName: 'Catalog tester',
    password: STRONG_PASSWORD,
    departmentId,
    roles,
  });
  const { token } = await createApiToken(ctx, system, person.id, { name: 'catalog test' });
  return tokenClient(app, token);
}

/** A new department (optionally under a parent) with a steward, an admin and a case handler. */
export async function catalogDepartment(
  ctx: AppContext,
  app: FastifyInstance,
  options: { parentId?: string; nameZh?: string } = {},
): Promise<CatalogDept> {
  const code = `CT${next().toUpperCase()}`;
  const dept = await createDepartment(ctx, systemActor('catalog-test'), {
    code,
    nameZh: options.nameZh ?? `测试局${code}`,
    nameEn: `Test Bureau ${code}`,
    regionCode: '339900',
    ...(options.parentId ? { parentId: options.parentId } : {}),
  });
  return {
    id: dept.id,
    code,
    steward: await staffClient(ctx, app, dept.id, ['data_steward']),
    admin: await staffClient(ctx, app, dept.id, ['dept_admin']),
    handler: await staffClient(ctx, app, dept.id, ['case_handler']),
  };
}

/** A valid, open resource's metadata for the department (override anything). */
export function openDatasetInput(
  departmentId: string,
  overrides: Partial<CreateDatasetInput> = {},
): CreateDatasetInput {
  return {
    name: `ds-${next()}`,
    titleZh: '测试数据资源',
    titleEn: 'Test data resource',
    descriptionZh: '用于测试的数据资源。',
    descriptionEn: 'A resource for tests.',
    departmentId,
    themeId: 'economy',
    keywords: ['测试'],
    formatClass: 'spreadsheet',
    dataItems: [{ name: '名称', type: 'string' }],
    shareType: 'unconditional',
    openType: 'open',
    licenseId: 'cc-by',
    updateCycle: 'monthly',
    ...overrides,
  };
}

/** Creates, submits and publishes a resource through the services (as the platform itself). */
export async function publishedDataset(
  ctx: AppContext,
  input: CreateDatasetInput,
  file?: { filename: string; content: Buffer },
): Promise<DatasetDto> {
  const system = systemActor('catalog-test');
  const ds = await createDataset(ctx, system, input);
  if (file) await addFileDistribution(ctx, system, ds.id, file);
  await submitDataset(ctx, system, ds.id);
  return reviewDataset(ctx, system, ds.id, { decision: 'publish' });
}

/** A multipart/form-data body: text fields first, then one file, as browsers and CKAN clients send it. */
export function multipart(
  fields: Record<string, string>,
  file: { field?: string; filename: string; content: Buffer; type?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----civitas${next()}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\n` +
        `Content-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
    file.content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
