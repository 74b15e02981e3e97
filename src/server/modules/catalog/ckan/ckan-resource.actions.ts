import path from 'node:path';
import type { DatasetDto, DistributionDto, UpdateDistributionInput } from '../../../../contracts/catalog.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import { findDistribution } from '../distribution.repository.ts';
import {
  addFileDistribution,
  addLinkDistribution,
  deleteDistribution,
  replaceDistributionFile,
  updateDistribution,
} from '../distribution.service.ts';
import { isUuid } from './ckan.repository.ts';
import { type CkanAction, type CkanCall, findPackage, requireCaller, requireParam } from './ckan-action.ts';
import { missingValue, notFoundError, validationError } from './ckan-envelope.ts';
import { toResourceDict } from './ckan-mapping.ts';
import { type CkanData, ckanList, ckanString, defined } from './ckan-package-input.ts';

// Resources are Civitas distributions: links and API endpoints given by URL, or files uploaded as
// multipart (`upload` field, as CKAN clients send it). resource_update and resource_patch both
// change only what is sent: a distribution has no fields a client could mean to clear.

const HTTP_URL = /^https?:\/\//i;

/** A resource dictionary as a CKAN client sends it inside a package. */
export interface ResourceInput {
  id?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  url?: string | undefined;
  format?: string | undefined;
  mimetype?: string | undefined;
  resourceType?: string | undefined;
}

function resourceInput(data: CkanData): ResourceInput {
  return {
    id: ckanString(data.id)?.trim() || undefined,
    name: ckanString(data.name)?.trim() || undefined,
    description: ckanString(data.description),
    url: ckanString(data.url)?.trim() || undefined,
    format: ckanString(data.format)?.trim(),
    mimetype: ckanString(data.mimetype)?.trim() || undefined,
    resourceType: ckanString(data.resource_type)?.trim() || undefined,
  };
}

/** The resources of a package dictionary, if it has a list; problems go into `errors.resources` as CKAN nests them. */
export function checkResources(data: CkanData, errors: Record<string, unknown>): ResourceInput[] | undefined {
  if (data.resources === undefined) return undefined;
  const list = ckanList(data.resources);
  if (!list || list.some((r) => !r || typeof r !== 'object')) {
    errors.resources = ['Resources must be a list of objects'];
    return undefined;
  }
  const inputs = list.map((r) => resourceInput(r as CkanData));
  const problems = inputs.map((r): Record<string, string[]> => {
    // A resource the dataset already has may keep its uploaded file; a new one needs a link.
    if (r.id) return {};
    if (!r.url) return { url: ['Missing value'] };
    return HTTP_URL.test(r.url) ? {} : { url: ['Must be an http:// or https:// URL'] };
  });
  if (problems.some((p) => Object.keys(p).length > 0)) errors.resources = problems;
  return inputs;
}

/** A name for a link that has none: the last part of its path, or the URL itself. */
const nameOfUrl = (url: string) => {
  try {
    return decodeURIComponent(path.posix.basename(new URL(url).pathname)) || url;
  } catch {
    return url;
  }
};

async function addLink(
  call: CkanCall,
  actor: Actor,
  datasetId: string,
  r: ResourceInput,
): Promise<DatasetDto> {
  if (!r.url) throw missingValue('url');
  return addLinkDistribution(
    call.ctx,
    actor,
    datasetId,
    defined({
      name: (r.name ?? nameOfUrl(r.url)).slice(0, 300),
      description: r.description,
      url: r.url,
      format: r.format || undefined,
      mediaType: r.mimetype,
      kind: r.resourceType === 'api' ? ('api' as const) : ('link' as const),
    }),
    call.meta,
  );
}

/** The fields of a resource update that differ from the distribution as it is. */
function distributionChanges(current: DistributionDto, r: ResourceInput): UpdateDistributionInput {
  const changes: UpdateDistributionInput = {};
  if (r.name !== undefined && r.name !== current.name) changes.name = r.name;
  if (r.description !== undefined && r.description !== current.description)
    changes.description = r.description;
  if (r.format !== undefined && r.format !== '' && r.format.toUpperCase() !== current.format)
    changes.format = r.format;
  // An uploaded file's URL is the platform's download address: sending it back changes nothing.
  if (r.url !== undefined && current.kind !== 'file' && r.url !== current.url) changes.url = r.url;
  return changes;
}

/**
 * Makes the dataset's distributions those of the list: known ids are updated, others added as
 * links, and distributions the list leaves out removed (CKAN's package_update with `resources`).
 */
export async function syncResources(
  call: CkanCall,
  actor: Actor,
  ds: DatasetDto,
  resources: readonly ResourceInput[],
): Promise<DatasetDto> {
  let current = ds;
  const existing = new Map(ds.distributions.map((d) => [d.id, d]));
  const kept = new Set<string>();
  for (const r of resources) {
    const known = r.id ? existing.get(r.id) : undefined;
    if (known) {
      kept.add(known.id);
      const changes = distributionChanges(known, r);
      if (Object.keys(changes).length > 0)
        current = await updateDistribution(call.ctx, actor, known.id, changes, call.meta);
    } else {
      current = await addLink(call, actor, ds.id, r);
    }
  }
  for (const d of ds.distributions)
    if (!kept.has(d.id)) current = await deleteDistribution(call.ctx, actor, d.id, call.meta);
  return current;
}

/** The distribution a write added: the one the dataset did not have before. */
function added(before: DatasetDto, after: DatasetDto): DistributionDto {
  const old = new Set(before.distributions.map((d) => d.id));
  const fresh = after.distributions.filter((d) => !old.has(d.id));
  const last = fresh.sort((a, b) => b.position - a.position)[0];
  if (!last) throw new Error('the new distribution is missing from its dataset');
  return last;
}

/** A distribution and its dataset, if the caller may see them (404 / 403 otherwise). */
export async function resourceOf(call: CkanCall, id: string) {
  const dist = isUuid(id) ? await findDistribution(call.ctx.db, id.toLowerCase()) : undefined;
  if (!dist) throw notFoundError('Resource was not found.');
  return { dist, ds: await findPackage(call, dist.dataset_id) };
}

/** The distribution of that id in the dataset, as a CKAN resource dictionary. */
export function resultResource(call: CkanCall, ds: DatasetDto, id: string) {
  const d = ds.distributions.find((x) => x.id === id);
  if (!d) throw notFoundError('Resource was not found.');
  return toResourceDict(d, call.site);
}

async function resourceCreate(call: CkanCall) {
  const actor = requireCaller(call.actor);
  const before = await findPackage(call, requireParam(call.data, 'package_id'));
  const r = resourceInput(call.data);
  let after: DatasetDto;
  if (call.upload) {
    after = await addFileDistribution(
      call.ctx,
      actor,
      before.id,
      {
        ...call.upload,
        name: r.name ?? call.upload.name,
        description: r.description,
        format: r.format || undefined,
      },
      call.meta,
    );
  } else {
    if (r.url && !HTTP_URL.test(r.url))
      throw validationError({ url: ['Must be an http:// or https:// URL'] }, 'The URL is not valid');
    after = await addLink(call, actor, before.id, r);
  }
  return toResourceDict(added(before, after), call.site);
}

async function resourceUpdate(call: CkanCall) {
  const actor = requireCaller(call.actor);
  const { dist, ds } = await resourceOf(call, requireParam(call.data, 'id'));
  const r = resourceInput(call.data);
  if (call.upload) {
    const after = await replaceDistributionFile(
      call.ctx,
      actor,
      dist.id,
      { ...call.upload, name: r.name, description: r.description, format: r.format || undefined },
      call.meta,
    );
    return resultResource(call, after, dist.id);
  }
  const current = ds.distributions.find((d) => d.id === dist.id);
  if (!current) throw notFoundError('Resource was not found.');
  const changes = distributionChanges(current, r);
  if (changes.url !== undefined && !HTTP_URL.test(changes.url))
    throw validationError({ url: ['Must be an http:// or https:// URL'] }, 'The URL is not valid');
  if (Object.keys(changes).length === 0) return toResourceDict(current, call.site);
  return resultResource(
    call,
    await updateDistribution(call.ctx, actor, dist.id, changes, call.meta),
    dist.id,
  );
}

const write = (doc: string, run: CkanAction['run']): CkanAction => ({ doc, run, sideEffectFree: false });
const UPDATE_DOC =
  'Change a resource: name, description, format, url (links), or its file (multipart `upload`).\n\n:param id: the id of the resource';

export const RESOURCE_ACTIONS: Record<string, CkanAction> = {
  resource_create: write(
    'Add a resource to a dataset: a link (url) or a file (multipart/form-data with the file in `upload`).\n\n:param package_id: the id or name of the dataset\n:param url, name, description, format, mimetype: (optional)',
    resourceCreate,
  ),
  resource_update: write(UPDATE_DOC, resourceUpdate),
  resource_patch: write(UPDATE_DOC, resourceUpdate),
  resource_delete: write('Delete a resource.\n\n:param id: the id of the resource', async (call) => {
    const actor = requireCaller(call.actor);
    const { dist } = await resourceOf(call, requireParam(call.data, 'id'));
    await deleteDistribution(call.ctx, actor, dist.id, call.meta);
    return null;
  }),
};
