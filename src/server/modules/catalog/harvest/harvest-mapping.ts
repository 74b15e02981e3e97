import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import {
  CATALOG_KINDS,
  type CatalogKind,
  type Contact,
  DATA_ITEM_TYPES,
  type DataItem,
  FORMAT_CLASSES,
  type FormatClass,
  type LinkDistributionInput,
  type ThemeDto,
  UPDATE_CYCLES,
  type UpdateCycle,
  type UpdateDatasetInput,
} from '../../../../contracts/catalog.ts';
import { LICENSES, licenseById } from '../licenses.ts';

// A remote dataset, whatever the source spoke (CKAN package dict, DCAT graph), and how it becomes
// local metadata. Harvested resources come from a public portal: they are open, shared
// unconditionally, public, and carry a licence (an unknown one becomes 'other-open'). Remote values
// are clipped and filtered to what the catalog accepts, so that one odd field costs that field, not
// the dataset.

export interface RemoteDistribution {
  name: string;
  url: string;
  format: string;
  description: string;
  kind: 'link' | 'api';
}

/** What a gatherer extracts from one remote dataset. Optional fields are what the source may not say. */
export interface RemoteDataset {
  /** Stable id at the source: the CKAN package id, the DCAT dataset IRI. */
  remoteId: string;
  /** The remote URL slug, when the source has one. */
  name?: string | undefined;
  titleZh?: string | undefined;
  titleEn?: string | undefined;
  descriptionZh?: string | undefined;
  descriptionEn?: string | undefined;
  keywords: string[];
  /** A licence id, title or URL as the source gives it. */
  license?: string | undefined;
  /** The remote identifier (Civitas resource code, dct:identifier). */
  identifier?: string | undefined;
  /** Candidate local theme ids (and EU data-theme codes), best first. */
  themes: string[];
  updateCycle?: string | undefined;
  formatClass?: string | undefined;
  catalogKind?: string | undefined;
  spatialCodes?: string[] | undefined;
  temporalStart?: string | undefined;
  temporalEnd?: string | undefined;
  contact?: { name?: string | undefined; email?: string | undefined; phone?: string | undefined } | undefined;
  dataItems?: unknown;
  /** Who publishes it at the source (organization, dct:publisher). */
  publisher?: string | undefined;
  extras: Record<string, string>;
  distributions: RemoteDistribution[];
}

/** The local metadata of a harvested dataset: every harvested field, so an update also clears what the source dropped. */
export interface HarvestInput {
  fields: Required<Omit<UpdateDatasetInput, 'resourceCode' | 'related'>>;
  distributions: LinkDistributionInput[];
  /** sha256 of the above (without the hash itself): equal hashes mean nothing to update. */
  hash: string;
}

/** The extras key holding the content hash of the last import. */
export const HASH_KEY = 'harvest_content_hash';
export const REMOTE_ID_KEY = 'harvest_remote_identifier';

const clip = (value: string | undefined | null, max: number) => (value ?? '').trim().slice(0, max);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const MAX_REMOTE_ID = 1000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HTTP = /^https?:\/\//i;

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined =>
  value !== undefined && (values as readonly string[]).includes(value) ? (value as T) : undefined;

// Licence ids and titles as other portals write them → the local ids of licenses.ts.
const LICENSE_ALIASES: Record<string, string> = {
  'cc-by': 'cc-by',
  'cc-by-sa': 'cc-by-sa',
  cc0: 'cc-zero',
  'cc-zero': 'cc-zero',
  'odc-by': 'odc-by',
  'odc-odbl': 'odc-odbl',
  odbl: 'odc-odbl',
  'odc-pddl': 'odc-pddl',
  pddl: 'odc-pddl',
};

/** A remote licence (id, EU authority IRI, URL of a known licence) as a local licence id; unknown → 'other-open'. */
export function mapLicense(remote: string | undefined): string {
  const value = (remote ?? '').trim();
  if (!value) return 'other-open';
  if (licenseById(value)) return value;
  const bare = (u: string) =>
    u
      .replace(/^https?:\/\//i, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  const byUrl = LICENSES.find((l) => l.url && bare(l.url) === bare(value));
  if (byUrl) return byUrl.id;
  // "CC-BY-4.0", ".../licence/CC_BY_4_0", "ODbL-1.0" → "cc-by", "odc-odbl"
  const last = value.split(/[/#]/).filter(Boolean).pop() ?? value;
  const key = last
    .toLowerCase()
    .replace(/_/g, '-')
    .replace(/(-\d+(\.\d+)?)+$/, '');
  return LICENSE_ALIASES[key] ?? 'other-open';
}

/** A URL slug from any text: lowercase ASCII letters, digits, '-' and '_'; '' when nothing is left. */
export function slugOf(text: string | undefined): string {
  return (text ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '')
    .slice(0, 100)
    .replace(/-+$/, '');
}

/** A short, stable tag of a remote id for names that need telling apart. */
export const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

function keywordsOf(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of raw) {
    const v = clip(k, 100);
    if (v && !seen.has(v.toLowerCase()) && out.length < 50) {
      seen.add(v.toLowerCase());
      out.push(v);
    }
  }
  return out;
}

function dataItemsOf(raw: unknown): DataItem[] {
  if (!Array.isArray(raw)) return [];
  const names = new Set<string>();
  const out: DataItem[] = [];
  for (const item of raw.slice(0, 500)) {
    const i = item as { name?: unknown; type?: unknown; description?: unknown };
    const name = typeof i?.name === 'string' ? clip(i.name, 100) : '';
    const type = typeof i?.type === 'string' ? oneOf(DATA_ITEM_TYPES, i.type) : undefined;
    if (!name || !type || names.has(name)) continue;
    names.add(name);
    out.push({
      name,
      type,
      ...(typeof i.description === 'string' && i.description
        ? { description: clip(i.description, 500) }
        : {}),
    });
  }
  return out;
}

function contactOf(raw: RemoteDataset['contact']): Contact | null {
  const name = clip(raw?.name, 100);
  if (!name) return null;
  const email = clip(raw?.email?.replace(/^mailto:/i, ''), 200);
  const phone = clip(raw?.phone?.replace(/^tel:/i, ''), 40);
  return { name, email: EMAIL.test(email) ? email : null, phone: phone || null };
}

function distributionsOf(raw: readonly RemoteDistribution[]): LinkDistributionInput[] {
  const out: LinkDistributionInput[] = [];
  for (const d of raw) {
    // Only absolute web links can be offered as links; anything else is dropped.
    const url = linkOf(d.url);
    if (!url || out.length >= 100) continue;
    const format = clip(d.format, 40).toUpperCase();
    out.push({
      name: clip(d.name, 300) || format || `resource ${out.length + 1}`,
      description: clip(d.description, 5000),
      kind: d.kind,
      url,
      format,
    });
  }
  return out;
}

function themeOf(candidates: readonly string[], themes: readonly ThemeDto[]): string | null {
  for (const c of candidates) {
    if (themes.some((t) => t.id === c)) return c;
  }
  // An EU data-theme code: the top-level local theme that maps to it.
  for (const c of candidates) {
    const t =
      themes.find((x) => x.euTheme === c && x.parentId === null) ?? themes.find((x) => x.euTheme === c);
    if (t) return t.id;
  }
  return null;
}

/** The calendar date a text starts with, if it is a real one (no 30 February). */
function dateOf(text: string | undefined): string | null {
  const d = text && ISO_DATE.test(text) ? text.slice(0, 10) : undefined;
  if (!d) return null;
  const parsed = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d ? d : null;
}

function temporalOf(start: string | undefined, end: string | undefined) {
  const s = dateOf(start);
  const e = dateOf(end);
  if (s && e && s > e) return { temporalStart: null, temporalEnd: null };
  return { temporalStart: s, temporalEnd: e };
}

/** An absolute http(s) URL that parses, or undefined. */
function linkOf(text: string): string | undefined {
  const url = text.trim();
  if (!HTTP.test(url) || url.length > 2000) return undefined;
  try {
    new URL(url);
    return url;
  } catch {
    return undefined;
  }
}

/** The local metadata of a remote dataset, and its content hash. */
export function toHarvestInput(remote: RemoteDataset, themes: readonly ThemeDto[]): HarvestInput {
  // Provenance is stored and indexed by remote id: an absurd one is refused, not truncated into a clash.
  if (remote.remoteId.length > MAX_REMOTE_ID)
    throw new Error(`the remote id is longer than ${MAX_REMOTE_ID} characters`);
  // The first candidate that is not blank once trimmed (a title of spaces is no title).
  const titleZh =
    [remote.titleZh, remote.titleEn, remote.name, remote.identifier, remote.remoteId]
      .map((candidate) => clip(candidate, 300))
      .find((candidate) => candidate !== '') ?? 'untitled';
  const extras: Record<string, string> = {};
  for (const [k, v] of Object.entries(remote.extras)) {
    const key = clip(k, 100);
    // Keys of a remote harvester would be mistaken for ours.
    if (!key || key.startsWith('harvest_') || Object.keys(extras).length >= 100) continue;
    extras[key] = clip(v, 5000);
  }
  extras[REMOTE_ID_KEY] = clip(remote.identifier || remote.remoteId, 5000);
  if (remote.publisher) extras.harvest_remote_publisher = clip(remote.publisher, 5000);
  const fields: HarvestInput['fields'] = {
    titleZh,
    titleEn: clip(remote.titleEn, 300),
    descriptionZh: clip(remote.descriptionZh || remote.descriptionEn, 20_000),
    descriptionEn: clip(remote.descriptionEn, 20_000),
    catalogKind: oneOf<CatalogKind>(CATALOG_KINDS, remote.catalogKind) ?? 'departmental',
    themeId: themeOf(remote.themes, themes),
    keywords: keywordsOf(remote.keywords),
    formatClass: oneOf<FormatClass>(FORMAT_CLASSES, remote.formatClass) ?? 'other',
    dataItems: dataItemsOf(remote.dataItems),
    shareType: 'unconditional',
    shareCondition: null,
    shareLegalBasis: null,
    openType: 'open',
    openCondition: null,
    updateCycle: oneOf<UpdateCycle>(UPDATE_CYCLES, remote.updateCycle) ?? 'irregular',
    licenseId: mapLicense(remote.license),
    ...temporalOf(remote.temporalStart, remote.temporalEnd),
    spatialCodes: [...new Set((remote.spatialCodes ?? []).filter((c) => /^\d{6}$/.test(c)))].slice(0, 100),
    contact: contactOf(remote.contact),
    sensitivity: 'public',
    extras,
  };
  const distributions = distributionsOf(remote.distributions);
  const hash = createHash('sha256')
    .update(canonicalize({ fields, distributions }) ?? '')
    .digest('hex');
  return { fields: { ...fields, extras: { ...extras, [HASH_KEY]: hash } }, distributions, hash };
}
