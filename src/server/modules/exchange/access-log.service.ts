import type { Static } from 'typebox';
import type { AccessLogPage, AccessLogQuery } from '../../../contracts/exchange.ts';
import { type Actor, authorize, isSystemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { forbidden } from '../../platform/errors.ts';
import { departmentsWithin, listAccessLogRows } from './access-log.repository.ts';

// Who reads the access log: platform admins all of it; department admins, data stewards and
// auditors the rows concerning their departments (and sub-departments), as owner or requester.
// Attempts with unknown credentials concern no department: platform admins alone see them.

const LOG_READERS = new Set(['dept_admin', 'data_steward', 'auditor']);

const seesEverything = (actor: Actor) => actor.isPlatformAdmin || isSystemActor(actor);

/** May the actor read the access log at all? */
export const canReadAccessLog = (actor: Actor) =>
  seesEverything(actor) || actor.roles.some((r) => LOG_READERS.has(r.role));

/** The log rows the actor may see, filtered and paged, newest first. */
export async function listAccessLog(
  ctx: AppContext,
  actor: Actor | undefined,
  query: Static<typeof AccessLogQuery>,
): Promise<Static<typeof AccessLogPage>> {
  const a = authorize(actor, canReadAccessLog);
  let scope: string[] | undefined;
  if (!seesEverything(a)) {
    const roots = a.roles.filter((r) => LOG_READERS.has(r.role)).map((r) => r.departmentId);
    scope = await departmentsWithin(ctx.db, [...new Set(roots)]);
    if (query.departmentId && !scope.includes(query.departmentId))
      throw forbidden('You may read the access log of your own departments only');
  }
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  const { rows, total } = await listAccessLogRows(
    ctx.db,
    { ...query, scope },
    pageSize,
    (page - 1) * pageSize,
  );
  return {
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      callId: r.call_id,
      grantId: r.grant_id,
      requesterDepartmentId: r.requester_department_id,
      ownerDepartmentId: r.owner_department_id,
      datasetId: r.dataset_id,
      distributionId: r.distribution_id,
      systemName: r.system_name,
      userRef: r.user_ref,
      operation: r.operation,
      titleZh: r.title_zh ?? null,
      titleEn: r.title_en ?? null,
      fields: r.fields,
      columnLabels: r.column_labels,
      rowCount: r.row_count,
      subjectCount: Number(r.subject_count),
      purpose: r.purpose,
      caseRef: r.case_ref,
      withheldUntil: r.withheld_until,
      latencyMs: r.latency_ms,
      outcome: r.outcome as Static<typeof AccessLogPage>['items'][number]['outcome'],
      status: r.status,
    })),
    total,
    page,
    pageSize,
  };
}
