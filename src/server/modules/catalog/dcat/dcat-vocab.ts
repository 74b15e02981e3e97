import type { OpenType, UpdateCycle } from '../../../../contracts/catalog.ts';

// Vocabularies of the DCAT-AP 3 export: namespaces, and the mapping of Civitas's coded fields to the
// EU Publications Office authority tables that DCAT-AP names as the controlled vocabularies.

/** Namespaces of the vocabularies the export uses. */
export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  spdx: 'http://spdx.org/rdf/terms#',
  adms: 'http://www.w3.org/ns/adms#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;
export type Prefix = keyof typeof NS;

const EU = 'http://publications.europa.eu/resource/authority/';
/** The EU data-theme concept scheme (dcat:themeTaxonomy). */
export const EU_DATA_THEME_SCHEME = `${EU}data-theme`;
// IRIs of entries of the EU authority tables, from their codes (ECON, MONTHLY, PUBLIC, CSV, ZHO).
export const euDataTheme = (code: string) => `${EU}data-theme/${code}`;
export const euFrequency = (code: string) => `${EU}frequency/${code}`;
export const euAccessRight = (code: string) => `${EU}access-right/${code}`;
export const euFileType = (code: string) => `${EU}file-type/${code}`;
export const euLanguage = (code: string) => `${EU}language/${code}`;
/** IANA media types as DCAT-AP 3's examples write them. */
export const ianaMediaType = (type: string) => `https://www.iana.org/assignments/media-types/${type}`;

/**
 * GB/T 2260 administrative divisions have no published Linked Data IRIs, so regions are named by a
 * URN that does not depend on the deployment's address: `urn:gbt2260:330100`. Every Civitas portal
 * mints the same IRI for the same division, so catalogs harvested into a provincial portal agree.
 */
export const regionIri = (code: string) => `urn:gbt2260:${code}`;

/** EU data themes (dcat:theme), with their labels, for the skos:prefLabel DCAT-AP requires of a concept. */
export const EU_DATA_THEMES: Readonly<Record<string, { en: string; zh: string }>> = {
  AGRI: { en: 'Agriculture, fisheries, forestry and food', zh: '农业、渔业、林业和食品' },
  ECON: { en: 'Economy and finance', zh: '经济和金融' },
  EDUC: { en: 'Education, culture and sport', zh: '教育、文化和体育' },
  ENER: { en: 'Energy', zh: '能源' },
  ENVI: { en: 'Environment', zh: '环境' },
  GOVE: { en: 'Government and public sector', zh: '政府和公共部门' },
  HEAL: { en: 'Health', zh: '卫生' },
  INTR: { en: 'International issues', zh: '国际事务' },
  JUST: { en: 'Justice, legal system and public safety', zh: '司法、法律体系和公共安全' },
  OP_DATPRO: { en: 'Provisional data', zh: '临时数据' },
  REGI: { en: 'Regions and cities', zh: '地区和城市' },
  SOCI: { en: 'Population and society', zh: '人口和社会' },
  TECH: { en: 'Science and technology', zh: '科学和技术' },
  TRAN: { en: 'Transport', zh: '交通' },
};

/** 更新周期 → EU frequency. Real-time resources change continuously (CONT). */
export const FREQUENCIES: Readonly<Record<UpdateCycle, string>> = {
  realtime: 'CONT',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  half_yearly: 'BIANNUAL',
  yearly: 'ANNUAL',
  irregular: 'IRREG',
};

/** 开放类型 → EU access right. */
export const ACCESS_RIGHTS: Readonly<Record<OpenType, string>> = {
  open: 'PUBLIC',
  conditional: 'RESTRICTED',
  none: 'NON_PUBLIC',
};

// Distribution formats as Civitas records them (upper-case file extensions) → EU file types. A format
// missing here gets no dct:format: DCAT-AP wants an IRI there, and a made-up one helps nobody.
const FILE_TYPES: Readonly<Record<string, string>> = {
  CSV: 'CSV',
  TSV: 'TSV',
  TXT: 'TXT',
  JSON: 'JSON',
  GEOJSON: 'GEOJSON',
  JSONLD: 'JSON_LD',
  XML: 'XML',
  XLS: 'XLS',
  XLSX: 'XLSX',
  ODS: 'ODS',
  PDF: 'PDF',
  DOC: 'DOC',
  DOCX: 'DOCX',
  HTML: 'HTML',
  ZIP: 'ZIP',
  GZ: 'GZIP',
  TAR: 'TAR',
  '7Z': '7Z',
  RAR: 'RAR',
  PARQUET: 'PARQUET',
  RDF: 'RDF_XML',
  TTL: 'RDF_TURTLE',
  NT: 'RDF_N_TRIPLES',
  SHP: 'SHP',
  KML: 'KML',
  GML: 'GML',
  GPKG: 'GPKG',
  PNG: 'PNG',
  JPG: 'JPEG',
  JPEG: 'JPEG',
  MP4: 'MP4',
  SQL: 'SQL',
  DBF: 'DBF',
};

/** The EU file-type code of a format, or undefined. */
export const euFileTypeCode = (format: string) => FILE_TYPES[format.trim().toUpperCase()];

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * The IANA IRI of a media type, when it can be one: parameters are dropped, and unregistered `x-`
 * types (application/x-shapefile) have no IANA entry to point at.
 */
export function ianaMediaTypeIri(mediaType: string | null | undefined): string | undefined {
  const type = (mediaType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!MEDIA_TYPE.test(type) || /\/x-/.test(type) || type.startsWith('x-')) return undefined;
  return ianaMediaType(type);
}
