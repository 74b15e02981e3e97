import type { DatasetDto, LinkDistributionInput, ThemeDto } from '../../../../contracts/catalog.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import { createDataset, deleteDraft, getDataset, updateDataset } from '../dataset.service.ts';
import { addLinkDistribution, deleteDistribution, updateDistribution } from '../distribution.service.ts';
import { reviewDataset, submitDataset, withdrawDataset } from '../lifecycle.service.ts';
import { type HarvestedDataset, takenNames } from './harvest.repository.ts';
import {
  type HarvestInput,
  type RemoteDataset,
  shortHash,
  slugOf,
  toHarvestInput,
} from './harvest-mapping.ts';

// The import stage: one remote dataset at a time, through the catalog's own services (so every
// change is validated, versioned and audited like a person's), as the source's harvest actor.
// New datasets are created, given their links, submitted and published; changed ones are updated
// (version change 'harvested'); unchanged ones (same content hash) are left alone.

/** The reason recorded on datasets withdrawn because their source stopped listing them. */
export const REMOVED_AT_SOURCE = 'removed at source';

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'restored' | 'skipped';

export interface ImportEnv {
  ctx: AppContext;
  actor: Actor;
  source: { id: string; name: string; department_id: string };
  themes: readonly ThemeDto[];
  /** This source's datasets by remote id; kept up to date as datasets are created. */
  existing: Map<string, HarvestedDataset>;
}

/** Imports one remote dataset; throws when it cannot (the run records the error and goes on). */
export async function importDataset(env: ImportEnv, remote: RemoteDataset): Promise<ImportOutcome> {
  const input = toHarvestInput(remote, env.themes);
  const local = env.existing.get(remote.remoteId);
  if (!local) {
    await createHarvested(env, remote, input);
    return 'created';
  }
  const { ctx, actor } = env;
  let outcome: ImportOutcome = local.contentHash === input.hash ? 'unchanged' : 'updated';
  if (local.status === 'withdrawn') {
    // Withdrawn by a person in this catalog: their decision stands over the source's listing.
    if (local.reviewNote !== REMOVED_AT_SOURCE) return 'skipped';
    await submitDataset(ctx, actor, local.id);
    outcome = 'restored';
  }
  if (local.contentHash !== input.hash) {
    // Links first, metadata (with the new hash) last: if anything fails, the old hash makes the next run try again.
    await syncDistributions(env, local.id, input.distributions);
    await updateDataset(ctx, actor, local.id, input.fields, undefined, 'harvested');
  }
  await publish(env, local.id);
  env.existing.set(remote.remoteId, {
    ...local,
    status: 'published',
    reviewNote: null,
    contentHash: input.hash,
  });
  return outcome;
}

/** Withdraws a dataset its source no longer lists (published or waiting for review); false when there was nothing to do. */
export async function withdrawRemoved(env: ImportEnv, local: HarvestedDataset): Promise<boolean> {
  if (local.status !== 'published' && local.status !== 'submitted') return false;
  await withdrawDataset(env.ctx, env.actor, local.id, REMOVED_AT_SOURCE);
  return true;
}

async function createHarvested(env: ImportEnv, remote: RemoteDataset, input: HarvestInput) {
  const { ctx, actor, source } = env;
  const name = await chooseName(env, remote);
  const created = await createDataset(
    ctx,
    actor,
    { ...input.fields, name, departmentId: source.department_id },
    undefined,
    { sourceId: source.id, remoteId: remote.remoteId },
  );
  try {
    for (const d of input.distributions) await addLinkDistribution(ctx, actor, created.id, d);
    await publish(env, created.id);
  } catch (err) {
    // A half-imported draft would look unchanged next time: remove it so the next run starts afresh.
    await deleteDraft(ctx, actor, created.id).catch(() => {});
    throw err;
  }
  env.existing.set(remote.remoteId, {
    id: created.id,
    name,
    remoteId: remote.remoteId,
    status: 'published',
    reviewNote: null,
    contentHash: input.hash,
  });
}

/** Submits and publishes as far as the dataset's status needs. */
async function publish(env: ImportEnv, id: string): Promise<void> {
  const ds = await getDataset(env.ctx, env.actor, { id });
  if (ds.status === 'published') return;
  if (ds.status === 'draft') await submitDataset(env.ctx, env.actor, id);
  await reviewDataset(env.ctx, env.actor, id, { decision: 'publish', note: 'harvested' });
}

/**
 * A local name for a new harvested dataset: the remote slug when free; prefixed with the source's
 * name when a local dataset has it; with a tag of the remote id when even that is taken.
 */
async function chooseName(env: ImportEnv, remote: RemoteDataset): Promise<string> {
  const prefix = env.source.name;
  const tag = shortHash(remote.remoteId);
  let base = slugOf(remote.name) || slugOf(remote.identifier);
  if (base.length < 2) base = `${prefix}-${tag}`;
  const candidates = [
    base,
    `${prefix}-${base}`.slice(0, 100).replace(/[-_]+$/, ''),
    `${prefix}-${base.slice(0, 100 - prefix.length - 10)}-${tag}`,
  ];
  const taken = await takenNames(env.ctx.db, candidates);
  const free = candidates.find((c) => !taken.has(c));
  if (!free) throw new AppError('catalog.harvest_name_taken', 409, `No free local name for "${base}"`);
  return free;
}

const sameLink = (a: LinkDistributionInput, b: DatasetDto['distributions'][number]) =>
  a.name === b.name && (a.description ?? '') === b.description && (a.format ?? '') === b.format;

/** Makes the dataset's distributions the remote links: kept by URL, changed, added or removed. */
async function syncDistributions(
  env: ImportEnv,
  datasetId: string,
  wanted: readonly LinkDistributionInput[],
) {
  const { ctx, actor } = env;
  const current = (await getDataset(ctx, actor, { id: datasetId })).distributions;
  // Uploaded files were added here, not at the source: they stay.
  const unmatched = current.filter((c) => c.kind !== 'file');
  const toAdd: LinkDistributionInput[] = [];
  for (const w of wanted) {
    const i = unmatched.findIndex((c) => c.url === w.url);
    if (i < 0) {
      toAdd.push(w);
      continue;
    }
    const [c] = unmatched.splice(i, 1);
    if (c && !sameLink(w, c))
      await updateDistribution(ctx, actor, c.id, {
        name: w.name,
        description: w.description ?? '',
        format: w.format ?? '',
      });
  }
  for (const c of unmatched) await deleteDistribution(ctx, actor, c.id);
  for (const w of toAdd) await addLinkDistribution(ctx, actor, datasetId, w);
}

/** An error as one line for the run log: the message, and which fields a validation error named. */
export function errorMessage(err: unknown): string {
  if (err instanceof AppError) {
    const fields = (err.details?.fields as { path: string; message: string }[] | undefined) ?? [];
    const detail = fields.length ? ` (${fields.map((f) => `${f.path}: ${f.message}`).join('; ')})` : '';
    return `${err.message}${detail}`.slice(0, 2000);
  }
  return (err instanceof Error ? err.message : String(err)).slice(0, 2000);
}
