import type { AccessRequest } from '../../../contracts/exchange.ts';
import type { listEvents, RequestView } from './request.repository.ts';

// Requests and event histories as the API shows them.

type EventRow = Awaited<ReturnType<typeof listEvents>>[number];

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Events as history entries, oldest first. */
export const toHistory = (events: EventRow[]) =>
  events.map((e) => ({
    at: new Date(e.at).toISOString(),
    actor: e.actor_label,
    action: e.action,
    note: e.note,
    details: e.details ?? {},
  }));

/** A request for the API; `overdue` is computed against the clock, not stored. */
export function presentRequest(v: RequestView, history?: EventRow[], now = new Date()): AccessRequest {
  return {
    id: v.id,
    datasetId: v.dataset_id,
    distributionId: v.distribution_id,
    datasetName: v.dataset_name,
    titleZh: v.title_zh,
    titleEn: v.title_en,
    ownerDepartmentId: v.owner_department_id,
    requesterDepartmentId: v.requester_department_id,
    requestedBy: v.requested_by_label,
    purpose: v.purpose,
    legalBasis: v.legal_basis,
    fields: v.fields,
    columnLabels: v.column_labels ?? [],
    rowFilter: v.row_filter ?? {},
    durationDays: v.duration_days,
    expectedCallsPerDay: v.expected_calls_per_day,
    systemName: v.system_name,
    delivery: v.delivery,
    confidential: v.confidential,
    state: v.state,
    autoApproved: v.auto_approved,
    dueAt: iso(v.due_at),
    overdue: v.state === 'pending' && v.due_at !== null && new Date(v.due_at) < now,
    remindedAt: iso(v.reminded_at),
    escalatedAt: iso(v.escalated_at),
    decidedBy: v.decided_by_label,
    decidedAt: iso(v.decided_at),
    decisionReason: v.decision_reason,
    grantId: v.grant_id,
    createdAt: new Date(v.created_at).toISOString(),
    ...(history ? { history: toHistory(history) } : {}),
  };
}
