import type { Static } from 'typebox';
import type { UsageSchema } from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { belongsTo, canViewDataset } from '../catalog/index.ts';
import { canBrowseShared } from './exchange.policy.ts';
import { findDatasetScope, findDepartment } from './shared-catalog.repository.ts';
import { emptyFigures, type UsageScope, usageFigures } from './usage.repository.ts';

// Operational figures per resource and per requesting department. A resource's figures appear on its
// catalog page, so staff who may see the resource may see them; a department's figures (its calls
// and the calls to its resources) are for its own staff and auditors; all of them for platform admins.

export type Usage = Static<typeof UsageSchema>;

/** Figures of the last `days` days (default 30) for a resource, a department, or everything. */
export async function getUsage(
  ctx: AppContext,
  actor: Actor | undefined,
  query: { datasetId?: string | undefined; departmentId?: string | undefined; days?: number | undefined },
): Promise<Usage> {
  const caller = authorize(actor, canBrowseShared);
  const days = query.days ?? 30;
  const scope: UsageScope = { days };
  if (query.datasetId) {
    const ds = await findDatasetScope(ctx.db, query.datasetId);
    if (!ds) throw notFound('exchange.dataset_not_found', 'Resource');
    authorize(caller, (a) => canViewDataset(a, ds));
    scope.datasetIds = [ds.id];
  }
  if (query.departmentId) {
    const dept = await findDepartment(ctx.db, query.departmentId);
    if (!dept) throw notFound('exchange.department_not_found', 'Department');
    authorize(caller, (a) => a.isPlatformAdmin || belongsTo(a, dept.path));
    scope.departmentId = dept.id;
  }
  if (!query.datasetId && !query.departmentId && !caller.isPlatformAdmin)
    throw forbidden('Name a resource or one of your departments');

  const [total, byDepartment, byResource] = await Promise.all([
    usageFigures(ctx.db, scope, 'none'),
    usageFigures(ctx.db, scope, 'department'),
    usageFigures(ctx.db, scope, 'dataset'),
  ]);
  const listed = <K extends string>(m: Map<string, ReturnType<typeof emptyFigures>>, key: K) =>
    [...m.entries()]
      .filter(([id]) => id !== '')
      .sort((a, b) => b[1].calls - a[1].calls || a[0].localeCompare(b[0]))
      .map(([id, f]) => ({ [key]: id, ...f }) as Record<K, string> & ReturnType<typeof emptyFigures>);
  return {
    days,
    total: total.get('') ?? emptyFigures(),
    byDepartment: listed(byDepartment, 'departmentId'),
    byResource: listed(byResource, 'datasetId'),
  };
}
