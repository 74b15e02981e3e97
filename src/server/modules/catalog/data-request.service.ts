import { randomBytes, randomUUID } from 'node:crypto';
import {
  AnswerDataRequestBody,
  type AnswerDataRequestInput,
  CreateDataRequestBody,
  type CreateDataRequestInput,
  type DataRequestDto,
} from '../../../contracts/catalog.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { auditAction } from '../../platform/http/audit-action.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { canAnswerDataRequests, canViewDataset } from './catalog.policy.ts';
import {
  type DataRequestView,
  findDataRequest,
  insertDataRequest,
  listDataRequestViews,
  setAnswer,
} from './data-request.repository.ts';
import { findDatasetView, findDepartmentScope } from './dataset.repository.ts';

// "Request this data": anyone asks a department for data (a new resource, or more of an existing
// one); the department answers; the requester follows it with a tracking code, no account needed.

const requestNotFound = () => notFound('catalog.data_request_not_found', 'Data request');

/** 张三 → 张*, alice@x → a****: who asked, without handing out their name to everyone. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 4));
}

function toDto(v: DataRequestView, showRequester: boolean): DataRequestDto {
  return {
    id: v.id,
    trackingCode: v.tracking_code,
    datasetName: v.dataset_name,
    department: { id: v.department_id, nameZh: v.department_name_zh, nameEn: v.department_name_en },
    title: v.title,
    description: v.description,
    requesterName: showRequester ? v.requester_name : maskName(v.requester_name),
    status: v.status,
    answer: v.answer,
    answeredAt: v.answered_at ? v.answered_at.toISOString() : null,
    createdAt: v.created_at.toISOString(),
  };
}

/** Files a request from the public (signed in or not); returns it with its tracking code. */
export async function createDataRequest(
  ctx: AppContext,
  actor: Actor | undefined,
  input: CreateDataRequestInput,
  meta?: RequestMeta,
): Promise<DataRequestDto> {
  assertValid(CreateDataRequestBody, input);
  let departmentId = input.departmentId;
  let datasetId: string | null = null;
  if (input.datasetName) {
    const view = await findDatasetView(ctx.db, { name: input.datasetName });
    const visible =
      view &&
      canViewDataset(actor, {
        departmentPath: view.department_path,
        status: view.status,
        shareType: view.share_type,
        openType: view.open_type,
      });
    if (!view || !visible) throw invalid('catalog.invalid_dataset', 'No visible resource has that name');
    datasetId = view.id;
    departmentId = view.department_id;
  }
  if (!departmentId)
    throw invalid('catalog.department_required', 'Name the resource or the department the request is for');
  const dept = await findDepartmentScope(ctx.db, departmentId);
  if (!dept?.active) throw invalid('catalog.invalid_department', 'The department does not exist');
  const id = randomUUID();
  // Short, unambiguous, unguessable: what the requester types in to follow the request.
  const trackingCode = `DR-${randomBytes(6)
    .toString('base64url')
    .toUpperCase()
    .replaceAll(/[^A-Z0-9]/g, 'X')}`;
  await ctx.db.transaction().execute(async (trx) => {
    await insertDataRequest(trx, {
      id,
      tracking_code: trackingCode,
      dataset_id: datasetId,
      department_id: dept.id,
      title: input.title,
      description: input.description,
      requester_name: input.requesterName,
      requester_email_enc: ctx.cipher.encrypt(input.requesterEmail),
      requester_id: actor?.personId || null,
      status: 'open',
    });
    await auditAction(trx, actor, meta, {
      action: 'catalog.data_request.create',
      target: { type: 'data_request', id },
      departmentId: dept.id,
      details: { trackingCode, datasetName: input.datasetName ?? null },
    });
  });
  return toDto((await findDataRequest(ctx.db, { id })) as DataRequestView, true);
}

/** Anyone holding the tracking code sees the request and its answer (requester masked). */
export async function trackDataRequest(ctx: AppContext, trackingCode: string): Promise<DataRequestDto> {
  const v = await findDataRequest(ctx.db, { trackingCode });
  if (!v) throw requestNotFound();
  return toDto(v, false);
}

/** Requests addressed to the departments the actor answers for, open ones first. */
export async function listDataRequests(
  ctx: AppContext,
  actor: Actor,
  filter: { status?: string | undefined },
): Promise<DataRequestDto[]> {
  const roots = actor.roles
    .filter((r) => r.role === 'dept_admin' || r.role === 'data_steward')
    .map((r) => r.departmentId);
  authorize(actor, (a) => a.isPlatformAdmin || roots.length > 0);
  const rows = await listDataRequestViews(ctx.db, {
    all: actor.isPlatformAdmin,
    roots,
    status: filter.status,
  });
  return rows.map((v) => toDto(v, true));
}

/** The department answers (and closes) a request. */
export async function answerDataRequest(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: AnswerDataRequestInput,
  meta?: RequestMeta,
): Promise<DataRequestDto> {
  assertValid(AnswerDataRequestBody, input);
  await ctx.db.transaction().execute(async (trx) => {
    const v = await findDataRequest(trx, { id });
    if (!v) throw requestNotFound();
    authorize(actor, (a) => canAnswerDataRequests(a, v.department_path));
    await setAnswer(trx, id, {
      status: input.status,
      answer: input.answer,
      answered_by: actor.personId || null,
    });
    await auditAction(trx, actor, meta, {
      action: 'catalog.data_request.answer',
      target: { type: 'data_request', id },
      departmentId: v.department_id,
      details: { status: input.status },
    });
  });
  return toDto((await findDataRequest(ctx.db, { id })) as DataRequestView, true);
}
