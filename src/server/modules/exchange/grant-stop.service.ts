import { systemActor } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { getDataset } from '../catalog/index.ts';
import { activeGrantIdsOfDataset } from './grant.repository.ts';
import { changeGrant } from './grant.service.ts';

// A grant lives only as long as the sharing it rests on. When a resource is withdrawn or its
// department stops sharing it, its active grants are suspended (not revoked: if the resource is
// shared again, the owner may resume them), each with its event and audit entry.

export const NO_LONGER_SHARED = 'The resource was withdrawn or is no longer shared';

/** Suspends the active grants of a resource that is no longer published and shared; returns how many. */
export async function suspendGrantsIfUnshared(ctx: AppContext, datasetId: string): Promise<number> {
  const system = systemActor('exchange');
  const ds = await getDataset(ctx, system, { id: datasetId });
  if (ds.status === 'published' && ds.shareType !== 'none') return 0;
  const ids = await activeGrantIdsOfDataset(ctx.db, datasetId);
  for (const id of ids) await changeGrant(ctx, system, id, 'suspend', { reason: NO_LONGER_SHARED });
  return ids.length;
}
