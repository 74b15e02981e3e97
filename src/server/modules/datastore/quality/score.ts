import type { Contact, UpdateCycle } from '../../../../contracts/catalog.ts';
import type {
  QualityCriterion,
  QualityCriterionId,
  QualityScore,
} from '../../../../contracts/datastore-quality.ts';

// The quality score, after uData's: a list of criteria, each with a weight and a value from 0 (not
// met) to 1 (met), partial credit in between; the total is the points earned over the weights of
// the criteria that apply, 0–100. Half the weight is the resource's metadata (what a reuser needs to
// find, trust and cite it), half its data (complete, keeping its rules and types, up to date).
// Every criterion is returned with the figures behind it so the score explains itself.

export const CRITERIA: Record<QualityCriterionId, { group: 'metadata' | 'data'; weight: number }> = {
  licence: { group: 'metadata', weight: 8 },
  description_zh: { group: 'metadata', weight: 6 },
  description_en: { group: 'metadata', weight: 4 },
  temporal_coverage: { group: 'metadata', weight: 4 },
  spatial_coverage: { group: 'metadata', weight: 4 },
  update_cycle_kept: { group: 'metadata', weight: 8 },
  open_format: { group: 'metadata', weight: 6 },
  documentation: { group: 'metadata', weight: 6 },
  contact: { group: 'metadata', weight: 4 },
  completeness: { group: 'data', weight: 15 },
  rule_conformity: { group: 'data', weight: 15 },
  type_conformity: { group: 'data', weight: 8 },
  timeliness: { group: 'data', weight: 12 },
};

/** Characters (code points) a description needs for full and for partial credit. */
export const DESCRIPTION_CHARS = { zh: { full: 40, partial: 10 }, en: { full: 80, partial: 20 } } as const;
/** Share of dictionary columns with a description that earns full credit. */
export const DOCUMENTED_SHARE = 0.8;
/** Formats a program can read without a person (an API counts too). PDF, DOC, images do not. */
export const MACHINE_READABLE = new Set([
  'CSV',
  'TSV',
  'JSON',
  'NDJSON',
  'GEOJSON',
  'JSONLD',
  'XML',
  'RDF',
  'TTL',
  'NT',
  'XLSX',
  'XLS',
  'ODS',
  'PARQUET',
  'SHP',
  'KML',
  'GPKG',
  'API',
]);
/** Days an update cycle allows (the longest month, quarter, half-year and year). */
export const CYCLE_DAYS: Record<UpdateCycle, number | null> = {
  realtime: 1,
  daily: 1,
  weekly: 7,
  monthly: 31,
  quarterly: 92,
  half_yearly: 184,
  yearly: 366,
  irregular: null,
};

export interface MetadataFacts {
  licenseId: string | null;
  /** Whether the licence is known and open (Open Definition); null when there is none. */
  licenseOpen: boolean | null;
  descriptionZh: string;
  descriptionEn: string;
  temporalStart: string | null;
  temporalEnd: string | null;
  spatialCodes: readonly string[];
  updateCycle: UpdateCycle;
  /** The catalog's freshness: published and its cycle has passed since the last new version. */
  overdue: boolean;
  distributions: readonly { kind: string; format: string }[];
  contact: Contact | null;
}

export interface TableFacts {
  columns: readonly {
    description?: string | undefined;
    /** 0–100. */
    completeness: number;
    /** 0–100, null when the column has no values to judge. */
    conformity: number | null;
  }[];
  rules: readonly { status: string; checked: number; violations: number }[];
  /** Days since the table's current version was published. */
  daysSinceVersion: number;
}

type Detail = QualityCriterion['detail'];
type Judged = { value: number | null; detail: Detail };

const chars = (s: string) => Array.from(s.trim()).length;
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const round = (x: number, places = 3) => Math.round(x * 10 ** places) / 10 ** places;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const tiered = (n: number, full: number, partial: number) => (n >= full ? 1 : n >= partial ? 0.5 : 0);

function describe(text: string, wanted: { full: number; partial: number }): Judged {
  const n = chars(text);
  return { value: tiered(n, wanted.full, wanted.partial), detail: { chars: n, wanted: wanted.full } };
}

function metadataCriteria(m: MetadataFacts, tables: readonly TableFacts[]) {
  const machine = m.distributions.filter(
    (d) => d.kind === 'api' || MACHINE_READABLE.has(d.format.toUpperCase()),
  );
  const columns = tables.flatMap((t) => t.columns);
  const documented = columns.filter((c) => (c.description ?? '').trim().length > 0).length;
  const cycleDays = CYCLE_DAYS[m.updateCycle];
  const hasLicence = !!m.licenseId && m.licenseId !== 'notspecified';
  const judged: Partial<Record<QualityCriterionId, Judged>> = {
    licence: {
      value: !hasLicence ? 0 : m.licenseOpen ? 1 : 0.5,
      detail: { licenseId: m.licenseId, open: m.licenseOpen },
    },
    description_zh: describe(m.descriptionZh, DESCRIPTION_CHARS.zh),
    description_en: describe(m.descriptionEn, DESCRIPTION_CHARS.en),
    temporal_coverage: {
      value: (m.temporalStart ? 0.5 : 0) + (m.temporalEnd ? 0.5 : 0),
      detail: { start: m.temporalStart, end: m.temporalEnd },
    },
    spatial_coverage: {
      value: m.spatialCodes.length > 0 ? 1 : 0,
      detail: { regions: m.spatialCodes.length },
    },
    update_cycle_kept: {
      value: cycleDays === null ? null : m.overdue ? 0 : 1,
      detail: { updateCycle: m.updateCycle, overdue: m.overdue },
    },
    open_format: {
      value: m.distributions.length ? machine.length / m.distributions.length : 0,
      detail: { machineReadable: machine.length, distributions: m.distributions.length },
    },
    documentation: {
      value: columns.length ? clamp01(documented / columns.length / DOCUMENTED_SHARE) : null,
      detail: { described: documented, columns: columns.length, wantedShare: DOCUMENTED_SHARE },
    },
    contact: {
      value: !m.contact?.name ? 0 : m.contact.email || m.contact.phone ? 1 : 0.5,
      detail: { name: !!m.contact?.name, email: !!m.contact?.email, phone: !!m.contact?.phone },
    },
  };
  return judged;
}

/** Per table, then averaged over the tables where the criterion applies. */
function dataCriteria(m: MetadataFacts, tables: readonly TableFacts[]) {
  const cycleDays = CYCLE_DAYS[m.updateCycle];
  const perTable = tables.map((t) => {
    const checked = t.rules.filter((r) => r.status === 'checked' && r.checked > 0);
    const judged = t.columns.filter((c) => c.conformity !== null);
    return {
      completeness: mean(t.columns.map((c) => c.completeness / 100)),
      rules: mean(checked.map((r) => 1 - r.violations / r.checked)),
      violations: checked.reduce((n, r) => n + r.violations, 0),
      ruleCount: checked.length,
      types: mean(judged.map((c) => (c.conformity ?? 0) / 100)),
      timeliness:
        cycleDays === null
          ? null
          : t.daysSinceVersion <= cycleDays
            ? 1
            : t.daysSinceVersion <= 2 * cycleDays
              ? 0.5
              : 0,
      days: t.daysSinceVersion,
    };
  });
  const avg = (pick: (x: (typeof perTable)[number]) => number | null) => {
    const xs = perTable.map(pick).filter((x): x is number => x !== null);
    return mean(xs);
  };
  const completeness = avg((t) => t.completeness);
  const judged: Partial<Record<QualityCriterionId, Judged>> = {
    completeness: {
      value: completeness,
      detail: { percent: completeness === null ? null : round(completeness * 100, 1), tables: tables.length },
    },
    rule_conformity: {
      value: avg((t) => t.rules),
      detail: {
        rules: perTable.reduce((n, t) => n + t.ruleCount, 0),
        violations: perTable.reduce((n, t) => n + t.violations, 0),
      },
    },
    type_conformity: { value: avg((t) => t.types), detail: { tables: tables.length } },
    timeliness: {
      value: avg((t) => t.timeliness),
      detail: {
        daysSinceVersion: perTable.length ? Math.min(...perTable.map((t) => t.days)) : null,
        cycleDays,
      },
    },
  };
  return judged;
}

const statusOf = (value: number | null): QualityCriterion['status'] =>
  value === null ? 'not_applicable' : value >= 1 ? 'pass' : value <= 0 ? 'fail' : 'partial';

/**
 * The score of a resource from its metadata and the facts of its tables (one table: that table's
 * score; several: data criteria averaged over them; none: the data criteria do not apply).
 */
export function qualityScore(metadata: MetadataFacts, tables: readonly TableFacts[]): QualityScore {
  const judged = { ...metadataCriteria(metadata, tables), ...dataCriteria(metadata, tables) };
  const criteria = (Object.keys(CRITERIA) as QualityCriterionId[]).map((id): QualityCriterion => {
    const { group, weight } = CRITERIA[id];
    const j = judged[id] ?? { value: null, detail: {} };
    const value = j.value === null ? null : round(clamp01(j.value));
    return {
      id,
      group,
      weight,
      value,
      status: statusOf(value),
      points: value === null ? 0 : round(weight * value, 2),
      detail: j.detail,
    };
  });
  const applicable = criteria.filter((c) => c.value !== null);
  const weights = applicable.reduce((n, c) => n + c.weight, 0);
  const points = applicable.reduce((n, c) => n + c.weight * (c.value ?? 0), 0);
  return { total: weights > 0 ? Math.round((100 * points) / weights) : 0, criteria };
}
