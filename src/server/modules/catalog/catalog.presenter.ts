import type {
  CatalogKind,
  Contact,
  DataItem,
  DatasetDto,
  DatasetStatus,
  DatasetSummaryDto,
  DistributionDto,
  FormatClass,
  OpenType,
  SensitivityLevel,
  ShareType,
  UpdateCycle,
} from '../../../contracts/catalog.ts';
import type { CatalogDistributionRow } from '../../platform/db-schema.ts';
import type { DatasetFields } from './catalog-rules.ts';
import type { DatasetView } from './dataset.repository.ts';

// Rows → API shapes, and rows → the editable fields the rules judge.

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

/** The download address of an uploaded file, relative to the platform's base URL. */
export const fileDownloadPath = (distributionId: string) =>
  `/api/catalog/distributions/${distributionId}/download`;

export function toDistributionDto(
  row: CatalogDistributionRow & { datastore_active?: boolean },
): DistributionDto {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    url: row.kind === 'file' ? fileDownloadPath(row.id) : (row.url ?? ''),
    format: row.format,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    checksum: row.checksum,
    downloadCount: row.download_count,
    position: row.position,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    ...(row.datastore_active !== undefined ? { datastoreActive: row.datastore_active } : {}),
  };
}

const departmentOf = (v: DatasetView) => ({
  id: v.department_id,
  code: v.department_code,
  nameZh: v.department_name_zh,
  nameEn: v.department_name_en,
});

const themeOf = (v: DatasetView) =>
  v.theme_id
    ? { id: v.theme_id, nameZh: v.theme_name_zh ?? v.theme_id, nameEn: v.theme_name_en ?? v.theme_id }
    : null;

/** The stored metadata as the editable fields (what versions snapshot and the rules check). */
export function fieldsOfView(v: DatasetView): DatasetFields {
  return {
    name: v.name,
    resourceCode: v.resource_code,
    titleZh: v.title_zh,
    titleEn: v.title_en,
    descriptionZh: v.description_zh,
    descriptionEn: v.description_en,
    catalogKind: v.catalog_kind as CatalogKind,
    themeId: v.theme_id,
    keywords: v.keywords,
    formatClass: v.format_class as FormatClass,
    dataItems: v.data_items as DataItem[],
    shareType: v.share_type as ShareType,
    shareCondition: v.share_condition,
    shareLegalBasis: v.share_legal_basis,
    openType: v.open_type as OpenType,
    openCondition: v.open_condition,
    updateCycle: v.update_cycle as UpdateCycle,
    related: v.related,
    licenseId: v.license_id,
    temporalStart: v.temporal_start,
    temporalEnd: v.temporal_end,
    spatialCodes: v.spatial_codes,
    contact: v.contact as Contact | null,
    sensitivity: v.sensitivity as SensitivityLevel,
    extras: v.extras,
  };
}

export function toDatasetDto(v: DatasetView, distributions: readonly CatalogDistributionRow[]): DatasetDto {
  const f = fieldsOfView(v);
  return {
    id: v.id,
    ...f,
    resourceCode: v.resource_code,
    department: departmentOf(v),
    theme: themeOf(v),
    status: v.status as DatasetStatus,
    reviewNote: v.review_note,
    version: v.version,
    publishedAt: isoOrNull(v.published_at),
    createdAt: iso(v.created_at),
    modifiedAt: iso(v.modified_at),
    overdue: v.overdue,
    nextUpdateDue: isoOrNull(v.next_update_due),
    downloadCount: v.download_count,
    qualityScore: v.quality_score ?? null,
    harvestSourceId: v.harvest_source_id,
    distributions: distributions.map(toDistributionDto),
  };
}

export function toSummaryDto(v: DatasetView, formats: readonly string[]): DatasetSummaryDto {
  return {
    id: v.id,
    name: v.name,
    resourceCode: v.resource_code,
    titleZh: v.title_zh,
    titleEn: v.title_en,
    descriptionZh: v.description_zh,
    descriptionEn: v.description_en,
    department: departmentOf(v),
    theme: themeOf(v),
    keywords: v.keywords,
    formats: [...formats],
    shareType: v.share_type as ShareType,
    openType: v.open_type as OpenType,
    updateCycle: v.update_cycle as UpdateCycle,
    licenseId: v.license_id,
    status: v.status as DatasetStatus,
    version: v.version,
    publishedAt: isoOrNull(v.published_at),
    modifiedAt: iso(v.modified_at),
    overdue: v.overdue,
    downloadCount: v.download_count,
    qualityScore: v.quality_score ?? null,
  };
}
