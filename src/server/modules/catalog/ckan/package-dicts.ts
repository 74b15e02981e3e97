import { LRUCache } from 'lru-cache';
import type { Db } from '../../../platform/db.ts';
import { RenderedJson } from '../../../platform/http/rendered-json.ts';
import { renderStamps } from '../dataset.repository.ts';
import { viewsInOrder } from '../search/search.repository.ts';
import { type CkanCall, datasetsOf } from './ckan-action.ts';
import { toPackageDict } from './ckan-mapping.ts';

// Package dictionaries for lists of datasets (package_search, an organization's datasets …), each
// rendered once per version of what it shows and kept as JSON text — as CKAN keeps each dataset's
// dictionary in its Solr index. Unlike CKAN's, a kept dictionary is never served stale: every answer
// first reads the current render stamps of its datasets (dataset.repository.ts), one light
// statement, and renders again those whose stamp moved.

const KEPT_PER_DATABASE = 5000;

interface Kept {
  stamp: string;
  json: RenderedJson;
}

// By database (a process may serve several, as tests do), then by site address and dataset id: the
// address is part of every resource's download URL.
const keptByDb = new WeakMap<Db, LRUCache<string, Kept>>();

function keptOf(db: Db): LRUCache<string, Kept> {
  let kept = keptByDb.get(db);
  if (!kept) {
    kept = new LRUCache({ max: KEPT_PER_DATABASE });
    keptByDb.set(db, kept);
  }
  return kept;
}

/** The package dictionaries of the datasets, in the order of `ids` (those deleted meanwhile left out). */
export async function packageDicts(
  call: Pick<CkanCall, 'ctx' | 'site'>,
  ids: readonly string[],
): Promise<RenderedJson[]> {
  const { db } = call.ctx;
  const kept = keptOf(db);
  const keyOf = (id: string) => `${call.site.baseUrl} ${id}`;
  const stamps = await renderStamps(db, ids);
  const dicts = new Map<string, RenderedJson>();
  const stale: string[] = [];
  for (const id of ids) {
    const stamp = stamps.get(id);
    if (stamp === undefined) continue;
    const hit = kept.get(keyOf(id));
    if (hit?.stamp === stamp) dicts.set(id, hit.json);
    else stale.push(id);
  }
  if (stale.length > 0) {
    // Read after the stamps: what is rendered is at least as new as the stamp kept with it, so a
    // change between the two reads makes the next answer render again, never keeps a stale one.
    for (const ds of await datasetsOf(call.ctx, await viewsInOrder(db, stale))) {
      const json = RenderedJson.of(toPackageDict(ds, call.site));
      kept.set(keyOf(ds.id), { stamp: stamps.get(ds.id) as string, json });
      dicts.set(ds.id, json);
    }
  }
  return ids.flatMap((id) => dicts.get(id) ?? []);
}
