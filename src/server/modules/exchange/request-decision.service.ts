import { type AccessRequest, type Decision, DecisionBody } from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { conflict, invalid } from '../../platform/errors.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { assertValid } from '../../platform/validate.ts';
import { canDecide } from './exchange.policy.ts';
import { approveWithGrant } from './grant-create.ts';
import { findRequestView, updateRequest } from './request.repository.ts';
import { getAccessRequest, requestNotFound } from './request.service.ts';
import { recordStep } from './request-history.ts';
import { narrowScope } from './request-rules.ts';
import { findTableFacts } from './shared-catalog.repository.ts';

// The owner's decision on a pending request: approve (possibly narrowing what was asked for, which
// creates the grant) or refuse with a reason. One transaction with its event and audit entry.

/** Approves or refuses a pending request as the owner's data administrator. */
export async function decideAccessRequest(
  ctx: AppContext,
  actor: Actor | undefined,
  id: string,
  decision: Decision,
  meta?: RequestMeta,
): Promise<AccessRequest> {
  assertValid(DecisionBody, decision);
  const caller = authorize(actor, () => true);
  const reason = decision.reason?.trim() || null;
  if (decision.decision === 'refuse' && !reason)
    throw invalid('exchange.reason_required', 'A refusal states its reason');
  await ctx.db.transaction().execute(async (trx) => {
    const view = await findRequestView(trx, id, true);
    if (!view) throw requestNotFound();
    authorize(caller, (a) => canDecide(a, view.owner_path));
    if (view.state !== 'pending')
      throw conflict('exchange.request_not_pending', `The request is already ${view.state}`, {
        state: view.state,
      });

    if (decision.decision === 'refuse') {
      await updateRequest(trx, id, {
        state: 'refused',
        decided_by: caller.personId || null,
        decided_by_label: caller.username,
        decided_at: new Date(),
        decision_reason: reason,
      });
      await recordStep(trx, caller, meta, {
        requestId: id,
        event: 'refuse',
        audit: 'exchange.request.refuse',
        departmentId: view.owner_department_id,
        note: reason,
      });
      return;
    }
    const table = await findTableFacts(trx, view.distribution_id);
    if (!table?.columns)
      throw conflict('exchange.table_not_loaded', 'The table is no longer loaded; it cannot be granted now');
    // The resource may have been withdrawn or its sharing ended while the request waited.
    if (table.status !== 'published' || table.shareType === 'none')
      throw conflict(
        'exchange.not_shared',
        'The resource is no longer published as shared; refuse the request',
      );
    const scope = narrowScope(
      table.columns,
      {
        fields: view.fields,
        rowFilter: view.row_filter ?? {},
        durationDays: view.duration_days,
        confidential: view.confidential,
      },
      decision,
      ctx.config.exchangeDefaultRatePerMinute,
    );
    await approveWithGrant(trx, caller, meta, view, scope, { auto: false, reason });
  });
  return getAccessRequest(ctx, caller, id);
}
