import type { DatasetDto } from '../../../../contracts/catalog.ts';
import type { Actor } from '../../../platform/auth/actor.ts';
import type { AppContext } from '../../../platform/context.ts';
import { AppError } from '../../../platform/errors.ts';
import type { RequestMeta } from '../../../platform/http/request-meta.ts';
import { toDatasetDto } from '../catalog.presenter.ts';
import { type DatasetView, distributionsOf } from '../dataset.repository.ts';
import { getDataset } from '../dataset.service.ts';
import type { FileUpload } from '../distribution.service.ts';
import { isUuid } from './ckan.repository.ts';
import { accessDenied, missingValue, validationError } from './ckan-envelope.ts';
import type { CkanSite } from './ckan-mapping.ts';
import { type CkanData, ckanString } from './ckan-package-input.ts';

// What every action gets and the parameter readers they share (CKAN's validators, CKAN's messages).

/** One call of an action: the caller, its parameters and, for uploads, the file. */
export interface CkanCall {
  ctx: AppContext;
  actor: Actor | undefined;
  data: CkanData;
  upload?: FileUpload | undefined;
  site: CkanSite;
  meta: RequestMeta;
}

export interface CkanAction {
  run(call: CkanCall): Promise<unknown>;
  /** Reads, which CKAN also serves to GET (its side_effect_free actions). */
  sideEffectFree: boolean;
  /** What help_show answers. */
  doc: string;
}

/** A required text parameter, or 409 "Missing value" under its name. */
export function requireParam(data: CkanData, key: string): string {
  const value = ckanString(data[key])?.trim();
  if (!value) throw missingValue(key);
  return value;
}

export interface IntRule {
  default: number;
  min?: number;
  /** Larger values are lowered to this (CKAN's limit_to_configured_maximum), not refused. */
  clampTo?: number;
}

/** An integer parameter under CKAN's rules: "Invalid integer", "Must be a natural number". */
export function intParam(data: CkanData, key: string, rule: IntRule): number {
  const raw = data[key];
  if (raw === undefined || raw === null || raw === '') return rule.default;
  const text = typeof raw === 'number' ? String(raw) : ckanString(raw)?.trim();
  if (!text || !/^-?\d+$/.test(text))
    throw validationError({ [key]: ['Invalid integer'] }, `Invalid integer: ${key}`);
  const n = Number.parseInt(text, 10);
  if (rule.min !== undefined && n < rule.min)
    throw validationError({ [key]: ['Must be a natural number'] }, `Must be a natural number: ${key}`);
  return rule.clampTo !== undefined ? Math.min(n, rule.clampTo) : n;
}

/** Writes need a caller; CKAN answers anonymous writes with 403 like any refusal. */
export function requireCaller(actor: Actor | undefined): Actor {
  if (!actor) throw accessDenied('Sign in with an API token to change the catalog');
  return actor;
}

/** A dataset by id or name, if the caller may see it (404 / 403 otherwise). */
export async function findPackage(call: CkanCall, ref: string): Promise<DatasetDto> {
  if (isUuid(ref)) {
    try {
      return await getDataset(call.ctx, call.actor, { id: ref.toLowerCase() });
    } catch (err) {
      if (!(err instanceof AppError && err.status === 404)) throw err;
    }
  }
  return getDataset(call.ctx, call.actor, { name: ref });
}

/** Full datasets for a page of search rows, with their distributions loaded in one query. */
export async function datasetsOf(ctx: AppContext, rows: readonly DatasetView[]): Promise<DatasetDto[]> {
  const dists = await distributionsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const byDataset = new Map<string, typeof dists>();
  for (const d of dists) {
    const list = byDataset.get(d.dataset_id) ?? [];
    list.push(d);
    byDataset.set(d.dataset_id, list);
  }
  return rows.map((r) => toDatasetDto(r, byDataset.get(r.id) ?? []));
}
