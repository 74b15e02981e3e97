import type { Grant } from '../../../contracts/exchange.ts';
import type { GrantView } from './grant.repository.ts';
import { toHistory } from './request.presenter.ts';
import type { listEvents } from './request.repository.ts';

// Grants as the API shows them. The stored state never says `expired`: a grant past its expiry is
// reported so, and becomes active again if the owner renews it.

type EventRow = Awaited<ReturnType<typeof listEvents>>[number];

/** The state a grant is in for callers: `expired` when active but past its expiry. */
export function reportedState(g: Pick<GrantView, 'state' | 'expires_at'>, now = new Date()): Grant['state'] {
  return g.state === 'active' && new Date(g.expires_at) <= now ? 'expired' : g.state;
}

export function presentGrant(g: GrantView, history?: EventRow[], now = new Date()): Grant {
  return {
    id: g.id,
    requestId: g.request_id,
    datasetId: g.dataset_id,
    distributionId: g.distribution_id,
    datasetName: g.dataset_name,
    titleZh: g.title_zh,
    titleEn: g.title_en,
    ownerDepartmentId: g.owner_department_id,
    granteeDepartmentId: g.grantee_department_id,
    systemName: g.system_name,
    purpose: g.purpose,
    legalBasis: g.legal_basis,
    fields: g.fields,
    clearFields: g.clear_fields,
    columnLabels: g.column_labels ?? [],
    rowFilter: g.row_filter ?? {},
    rateLimitPerMinute: g.rate_limit_per_minute,
    delivery: g.delivery,
    confidential: g.confidential,
    state: reportedState(g, now),
    stateReason: g.state_reason,
    expiresAt: new Date(g.expires_at).toISOString(),
    credentialPrefix: g.credential_prefix,
    credentialIssuedAt: g.credential_issued_at ? new Date(g.credential_issued_at).toISOString() : null,
    createdAt: new Date(g.created_at).toISOString(),
    ...(history ? { history: toHistory(history) } : {}),
  };
}
