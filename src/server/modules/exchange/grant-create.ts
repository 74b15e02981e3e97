import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db.ts';
import type { ExchangeRequestRow } from '../../platform/db-schema-exchange.ts';
import type { RequestMeta } from '../../platform/http/request-meta.ts';
import { insertGrant } from './grant.repository.ts';
import { updateRequest } from './request.repository.ts';
import { recordStep } from './request-history.ts';
import type { ApprovedScope } from './request-rules.ts';

// Approving a request — by the owner, or automatically for an unconditional resource — creates the
// grant in the same transaction as the decision, its event and its audit entry.

/** Marks the request approved and creates its grant; returns the grant id. */
export async function approveWithGrant(
  trx: Db,
  actor: Actor,
  meta: RequestMeta | undefined,
  request: ExchangeRequestRow,
  scope: ApprovedScope,
  how: { auto: boolean; reason?: string | null | undefined },
): Promise<string> {
  const grantId = randomUUID();
  await insertGrant(trx, {
    id: grantId,
    request_id: request.id,
    dataset_id: request.dataset_id,
    distribution_id: request.distribution_id,
    owner_department_id: request.owner_department_id,
    grantee_department_id: request.requester_department_id,
    system_name: request.system_name,
    purpose: request.purpose,
    legal_basis: request.legal_basis,
    fields: scope.fields,
    clear_fields: scope.clearFields,
    row_filter: JSON.stringify(scope.rowFilter),
    rate_limit_per_minute: scope.rateLimitPerMinute,
    delivery: request.delivery,
    confidential: scope.confidential,
    state: 'active',
    expires_at: sql<Date>`now() + make_interval(days => ${scope.durationDays})` as unknown as Date,
  });
  await updateRequest(trx, request.id, {
    state: 'approved',
    auto_approved: how.auto,
    decided_by: how.auto ? null : actor.personId || null,
    decided_by_label: how.auto ? 'auto' : actor.username,
    decided_at: sql<Date>`now()` as unknown as Date,
    decision_reason: how.reason ?? null,
    grant_id: grantId,
  });
  const narrowed = {
    fields: scope.fields,
    rowFilter: scope.rowFilter,
    durationDays: scope.durationDays,
    clearFields: scope.clearFields,
    confidential: scope.confidential,
    rateLimitPerMinute: scope.rateLimitPerMinute,
  };
  await recordStep(trx, actor, meta, {
    requestId: request.id,
    grantId,
    event: how.auto ? 'auto_approve' : 'approve',
    audit: 'exchange.request.approve',
    departmentId: request.owner_department_id,
    note: how.reason ?? null,
    details: { autoApproved: how.auto, grantId, ...narrowed },
  });
  return grantId;
}
