import { randomUUID } from 'node:crypto';
import {
  type AccessRequest,
  type CreateAccessRequest,
  CreateAccessRequestBody,
} from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { addWorkingDays } from '../../platform/working-days.ts';
import { canViewDataset } from '../catalog/index.ts';
import { canBrowseShared, canRequestFor, canViewExchange } from './exchange.policy.ts';
import { approveWithGrant } from './grant-create.ts';
import { presentRequest } from './request.presenter.ts';
import {
  findRequestRow,
  findRequestView,
  insertRequest,
  listEvents,
  listRequestViews,
  type RequestView,
  updateRequest,
} from './request.repository.ts';
import { recordStep } from './request-history.ts';
import { checkScope } from './request-rules.ts';
import { findDepartment, findTableFacts } from './shared-catalog.repository.ts';

// Access requests: a department asks another's data admin for a DataStore table. Unconditionally
// shared resources pass an automatic compliance check and are granted at once; conditionally shared
// ones wait for the owner's decision within a deadline counted in working days.

export const requestNotFound = () => notFound('exchange.request_not_found', 'Access request');
const SHARED = ['unconditional', 'conditional'];

/** Files a request; an unconditional resource's request comes back approved with its grant. */
export async function createAccessRequest(
  ctx: AppContext,
  actor: Actor | undefined,
  input: CreateAccessRequest,
  meta?: RequestMeta,
): Promise<AccessRequest> {
  assertValid(CreateAccessRequestBody, input);
  const caller = authorize(actor, canBrowseShared);
  const requester = await findDepartment(ctx.db, input.requesterDepartmentId);
  if (!requester?.active)
    throw invalid('exchange.invalid_department', 'The requesting department does not exist');
  authorize(caller, (a) => canRequestFor(a, requester.path));

  const table = await findTableFacts(ctx.db, input.distributionId);
  const scope = table && {
    departmentPath: table.ownerPath,
    status: table.status,
    shareType: table.shareType,
    openType: 'none',
  };
  if (!table || !scope || !canViewDataset(caller, scope))
    throw notFound('exchange.distribution_not_found', 'Distribution');
  if (table.status !== 'published' || !SHARED.includes(table.shareType))
    throw invalid('exchange.not_shared', 'The resource is not published as shared with other departments');
  if (!table.columns)
    throw invalid('exchange.table_not_loaded', 'The distribution has no loaded DataStore table');
  if (table.ownerDepartmentId === requester.id)
    throw invalid('exchange.same_department', 'A department reads its own data without a request');

  // The automatic compliance check: scope, purpose, legal basis and duration (the same for every request).
  if (!input.purpose.trim()) throw invalid('exchange.purpose_required', 'State the purpose');
  if (!input.legalBasis.trim()) throw invalid('exchange.legal_basis_required', 'State the legal basis');
  if (input.durationDays > ctx.config.exchangeMaxGrantDays)
    throw invalid(
      'exchange.duration_too_long',
      `Access is granted for at most ${ctx.config.exchangeMaxGrantDays} days`,
      { maxDays: ctx.config.exchangeMaxGrantDays },
    );
  const rowFilter = input.rowFilter ?? {};
  const fields = checkScope(table.columns, input.fields, rowFilter);
  // Withholding accesses from the data subjects needs the owner's consent, even for open sharing.
  const automatic = table.shareType === 'unconditional' && !input.confidential;

  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    const decisionDays = automatic ? null : ctx.config.exchangeDecisionDays;
    const dueAt = decisionDays === null ? null : await addWorkingDays(trx, new Date(), decisionDays);
    await insertRequest(trx, {
      id,
      dataset_id: table.datasetId,
      distribution_id: input.distributionId,
      owner_department_id: table.ownerDepartmentId,
      requester_department_id: requester.id,
      requested_by: caller.personId || null,
      requested_by_label: caller.username,
      purpose: input.purpose.trim(),
      legal_basis: input.legalBasis.trim(),
      fields,
      row_filter: JSON.stringify(rowFilter),
      duration_days: input.durationDays,
      expected_calls_per_day: input.expectedCallsPerDay ?? null,
      system_name: input.systemName.trim(),
      delivery: input.delivery ?? 'api',
      confidential: input.confidential ?? false,
      state: 'pending',
      due_at: dueAt,
      decision_days: decisionDays,
    });
    await recordStep(trx, caller, meta, {
      requestId: id,
      event: 'create',
      audit: 'exchange.request.create',
      departmentId: requester.id,
      details: {
        distributionId: input.distributionId,
        ownerDepartmentId: table.ownerDepartmentId,
        fields,
        rowFilter,
        durationDays: input.durationDays,
        confidential: input.confidential ?? false,
        ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
      },
    });
    if (!automatic) return;
    const request = await findRequestRow(trx, id);
    await approveWithGrant(
      trx,
      caller,
      meta,
      request,
      {
        fields,
        rowFilter,
        durationDays: input.durationDays,
        clearFields: [],
        confidential: false,
        rateLimitPerMinute: ctx.config.exchangeDefaultRatePerMinute,
      },
      { auto: true, reason: 'Automatic compliance check passed (unconditionally shared resource)' },
    );
  });
  return getAccessRequest(ctx, caller, id);
}

/** Requests of the caller's departments (both sides unless `side` says), pending first. */
export async function listAccessRequests(
  ctx: AppContext,
  actor: Actor | undefined,
  query: {
    side?: 'incoming' | 'outgoing' | undefined;
    state?: string | undefined;
    departmentId?: string | undefined;
    page?: number | undefined;
    pageSize?: number | undefined;
  },
) {
  const caller = authorize(actor, canBrowseShared);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const { rows, total } = await listRequestViews(ctx.db, {
    all: caller.isPlatformAdmin,
    roots: [...new Set(caller.roles.map((r) => r.departmentId))],
    side: query.side,
    state: query.state,
    departmentId: query.departmentId,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  const now = new Date();
  return { items: rows.map((r) => presentRequest(r, undefined, now)), total, page, pageSize };
}

/** Loads a request the actor may see (404 / 403 otherwise). */
export async function visibleRequest(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
): Promise<RequestView> {
  const caller = authorize(actor, () => true);
  const view = await findRequestView(ctx.db, id);
  if (!view) throw requestNotFound();
  authorize(caller, (a) => canViewExchange(a, view.owner_path, view.requester_path));
  return view;
}

/** One request with its history. */
export async function getAccessRequest(ctx: AppContext, actor: Actor | undefined, id: string) {
  const view = await visibleRequest(ctx, actor, id);
  return presentRequest(view, await listEvents(ctx.db, { requestId: id }));
}

/** The requester takes back a pending request. */
export async function withdrawAccessRequest(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
  meta?: RequestMeta,
): Promise<AccessRequest> {
  const caller = authorize(actor, () => true);
  await ctx.db.transaction().execute(async (trx) => {
    const view = await findRequestView(trx, id, true);
    if (!view) throw requestNotFound();
    authorize(caller, (a) => canRequestFor(a, view.requester_path));
    if (view.state !== 'pending')
      throw conflict('exchange.request_not_pending', `The request is already ${view.state}`, {
        state: view.state,
      });
    await updateRequest(trx, id, { state: 'withdrawn' });
    await recordStep(trx, caller, meta, {
      requestId: id,
      event: 'withdraw',
      audit: 'exchange.request.withdraw',
      departmentId: view.requester_department_id,
    });
  });
  return getAccessRequest(ctx, caller, id);
}
