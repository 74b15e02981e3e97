import { DataFactory, type Literal, type NamedNode, type Quad } from 'n3';
import type { DatasetDto, DistributionDto, LicenseDto, ThemeDto } from '../../../../contracts/catalog.ts';
import { xmlSafe } from './dcat-serialize.ts';
import {
  ACCESS_RIGHTS,
  EU_DATA_THEME_SCHEME,
  EU_DATA_THEMES,
  euAccessRight,
  euDataTheme,
  euFileType,
  euFileTypeCode,
  euFrequency,
  euLanguage,
  FREQUENCIES,
  ianaMediaTypeIri,
  NS,
  type Prefix,
  regionIri,
} from './dcat-vocab.ts';

// Catalog resources as a DCAT-AP 3 graph. Every node gets an IRI (hash IRIs for the dependent ones:
// contact point, period of time, checksum), so the same catalog always yields the same triples and
// the Turtle, JSON-LD and RDF/XML documents can be compared triple by triple.

const { namedNode, literal, quad } = DataFactory;

/** What every export needs besides the resources: where the portal lives and the reference data. */
export interface DcatContext {
  /** The portal's address without a trailing slash, e.g. https://data.lanshan.gov.cn. */
  baseUrl: string;
  themes: readonly ThemeDto[];
  licenses: readonly LicenseDto[];
}

export interface CatalogInfo {
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  /** The catalog's publisher (DCAT-AP requires exactly one). */
  publisher: { code: string | null; nameZh: string; nameEn: string };
  /** The latest change of any resource in the catalog, ISO 8601. */
  modified: string | null;
}

/** One page of the catalog, as Hydra describes it. */
export interface HydraPage {
  pageUrl: string;
  firstUrl: string;
  lastUrl: string;
  nextUrl: string | null;
  previousUrl: string | null;
  totalItems: number;
  itemsPerPage: number;
}

/** Dataset, distribution and agent IRIs of the portal, the same in every export. */
export const dcatIris = (baseUrl: string) => ({
  catalog: `${baseUrl}/catalog`,
  homepage: `${baseUrl}/`,
  dataset: (name: string) => `${baseUrl}/dataset/${name}`,
  distribution: (datasetName: string, id: string) => `${baseUrl}/dataset/${datasetName}/resource/${id}`,
  department: (code: string) => `${baseUrl}/organization/${encodeURIComponent(code)}`,
  themeScheme: `${baseUrl}/theme`,
  theme: (id: string) => `${baseUrl}/theme/${encodeURIComponent(id)}`,
});

const term = (prefix: Prefix, local: string) => namedNode(NS[prefix] + local);
const RDF_TYPE = term('rdf', 'type');

/** Collects triples once each, grouped by subject in the order subjects first appear. */
class GraphBuilder {
  private readonly bySubject = new Map<string, Map<string, Quad>>();

  add(subject: string, predicate: NamedNode, object: NamedNode | Literal | undefined): void {
    if (!object) return;
    let triples = this.bySubject.get(subject);
    if (!triples) {
      triples = new Map();
      this.bySubject.set(subject, triples);
    }
    const key = `${predicate.value} ${object.termType} ${object.value} ${object.termType === 'Literal' ? `${object.language}^${object.datatype.value}` : ''}`;
    if (!triples.has(key)) triples.set(key, quad(namedNode(subject), predicate, object));
  }

  type(subject: string, ...classes: NamedNode[]): void {
    for (const c of classes) this.add(subject, RDF_TYPE, c);
  }

  quads(): Quad[] {
    return [...this.bySubject.values()].flatMap((triples) => [...triples.values()]);
  }
}

const HAN = /\p{Script=Han}/u;

/** A text in a known language; undefined when blank. */
function text(value: string | null | undefined, lang?: 'zh' | 'en'): Literal | undefined {
  const v = xmlSafe(value ?? '').trim();
  if (!v) return undefined;
  return lang ? literal(v, lang) : literal(v);
}

/** A text whose language is not recorded: Chinese when it has Han characters, untagged otherwise. */
const guessed = (value: string | null | undefined) => text(value, HAN.test(value ?? '') ? 'zh' : undefined);
const typed = (value: string, datatype: string) => literal(value, term('xsd', datatype));
const dateTime = (iso: string | null) => (iso ? typed(new Date(iso).toISOString(), 'dateTime') : undefined);
const iri = (value: string) => namedNode(value);

/** An absolute, syntactically clean form of a URL given by a user, or undefined. */
function cleanUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Builds DCAT-AP 3 graphs of catalog resources for one portal. */
export class DcatGraph {
  private readonly g = new GraphBuilder();
  private readonly iris: ReturnType<typeof dcatIris>;
  private readonly themes: Map<string, ThemeDto>;
  private readonly licenses: Map<string, LicenseDto>;

  constructor(private readonly ctx: DcatContext) {
    this.iris = dcatIris(ctx.baseUrl);
    this.themes = new Map(ctx.themes.map((t) => [t.id, t]));
    this.licenses = new Map(ctx.licenses.map((l) => [l.id, l]));
  }

  /** The dcat:Catalog node, pointing at the given datasets (which are added with addDataset). */
  addCatalog(info: CatalogInfo, datasets: readonly DatasetDto[], page?: HydraPage): string {
    const g = this.g;
    const c = this.iris.catalog;
    g.type(c, term('dcat', 'Catalog'));
    g.add(c, term('dct', 'title'), text(info.titleZh, 'zh'));
    g.add(c, term('dct', 'title'), text(info.titleEn, 'en'));
    g.add(c, term('dct', 'description'), text(info.descriptionZh, 'zh'));
    g.add(c, term('dct', 'description'), text(info.descriptionEn, 'en'));
    g.add(c, term('dct', 'publisher'), iri(this.agent(info.publisher)));
    g.add(c, term('foaf', 'homepage'), iri(this.iris.homepage));
    g.type(this.iris.homepage, term('foaf', 'Document'));
    for (const lang of ['ZHO', 'ENG']) g.add(c, term('dct', 'language'), iri(this.language(lang)));
    g.add(c, term('dct', 'modified'), dateTime(info.modified));
    g.add(c, term('dcat', 'themeTaxonomy'), iri(this.euThemeScheme()));
    g.add(c, term('dcat', 'themeTaxonomy'), iri(this.localThemeScheme()));
    for (const ds of datasets) g.add(c, term('dcat', 'dataset'), iri(this.iris.dataset(ds.name)));
    if (page) g.add(c, term('hydra', 'view'), iri(this.hydraView(page)));
    return c;
  }

  /** A dcat:Dataset with its distributions, publisher, contact point and the concepts it refers to. */
  addDataset(ds: DatasetDto): string {
    const g = this.g;
    const d = this.iris.dataset(ds.name);
    g.type(d, term('dcat', 'Dataset'));
    g.add(d, term('dct', 'identifier'), text(ds.resourceCode));
    g.add(d, term('dct', 'title'), text(ds.titleZh, 'zh'));
    g.add(d, term('dct', 'title'), text(ds.titleEn, 'en'));
    const zh = text(ds.descriptionZh, 'zh');
    const en = text(ds.descriptionEn, 'en');
    // DCAT-AP requires a description; a resource registered without one is described by its title.
    g.add(d, term('dct', 'description'), zh ?? (en ? undefined : text(ds.titleZh, 'zh')));
    g.add(d, term('dct', 'description'), en);
    for (const k of ds.keywords) g.add(d, term('dcat', 'keyword'), guessed(k));
    this.addThemes(d, ds);
    g.add(d, term('dct', 'publisher'), iri(this.agent(ds.department)));
    if (ds.contact) this.addContact(d, ds.contact);
    g.add(d, term('dct', 'issued'), dateTime(ds.publishedAt));
    g.add(d, term('dct', 'modified'), dateTime(ds.modifiedAt));
    const frequency = euFrequency(FREQUENCIES[ds.updateCycle]);
    g.add(d, term('dct', 'accrualPeriodicity'), iri(frequency));
    g.type(frequency, term('dct', 'Frequency'));
    if (ds.temporalStart || ds.temporalEnd) {
      const period = `${d}#temporal`;
      g.type(period, term('dct', 'PeriodOfTime'));
      if (ds.temporalStart) g.add(period, term('dcat', 'startDate'), typed(ds.temporalStart, 'date'));
      if (ds.temporalEnd) g.add(period, term('dcat', 'endDate'), typed(ds.temporalEnd, 'date'));
      g.add(d, term('dct', 'temporal'), iri(period));
    }
    for (const code of ds.spatialCodes) {
      const region = regionIri(code);
      g.add(d, term('dct', 'spatial'), iri(region));
      g.type(region, term('dct', 'Location'));
      g.add(region, term('dct', 'identifier'), text(code));
    }
    const access = euAccessRight(ACCESS_RIGHTS[ds.openType]);
    g.add(d, term('dct', 'accessRights'), iri(access));
    g.type(access, term('dct', 'RightsStatement'));
    g.add(d, term('dct', 'language'), iri(this.language('ZHO')));
    if (ds.titleEn.trim() || ds.descriptionEn.trim())
      g.add(d, term('dct', 'language'), iri(this.language('ENG')));
    g.add(d, term('dcat', 'version'), text(String(ds.version)));
    for (const name of ds.related) g.add(d, term('dct', 'relation'), iri(this.iris.dataset(name)));
    for (const dist of ds.distributions)
      g.add(d, term('dcat', 'distribution'), iri(this.addDistribution(ds, dist)));
    return d;
  }

  quads(): Quad[] {
    return this.g.quads();
  }

  private addDistribution(ds: DatasetDto, dist: DistributionDto): string {
    const g = this.g;
    const r = this.iris.distribution(ds.name, dist.id);
    g.type(r, term('dcat', 'Distribution'));
    g.add(r, term('dct', 'title'), guessed(dist.name));
    g.add(r, term('dct', 'description'), guessed(dist.description));
    // Files are served by the platform (a path of its own); links are wherever their owner put them.
    // The platform's download address also redirects to a link, so it stands in for an unusable one.
    const download = `${this.ctx.baseUrl}/api/catalog/distributions/${dist.id}/download`;
    const access = dist.kind === 'file' ? `${this.ctx.baseUrl}${dist.url}` : (cleanUrl(dist.url) ?? download);
    g.add(r, term('dcat', 'accessURL'), iri(access));
    if (dist.kind === 'file') g.add(r, term('dcat', 'downloadURL'), iri(access));
    const fileType = euFileTypeCode(dist.format);
    if (fileType) {
      g.add(r, term('dct', 'format'), iri(euFileType(fileType)));
      g.type(euFileType(fileType), term('dct', 'MediaTypeOrExtent'));
    }
    const mediaType = ianaMediaTypeIri(dist.mediaType);
    if (mediaType) {
      g.add(r, term('dcat', 'mediaType'), iri(mediaType));
      g.type(mediaType, term('dct', 'MediaType'));
    }
    if (dist.sizeBytes !== null && Number.isSafeInteger(dist.sizeBytes) && dist.sizeBytes >= 0)
      g.add(r, term('dcat', 'byteSize'), typed(String(dist.sizeBytes), 'nonNegativeInteger'));
    if (dist.checksum && /^[0-9a-f]{64}$/i.test(dist.checksum)) {
      const checksum = `${r}#checksum`;
      const sha256 = `${NS.spdx}checksumAlgorithm_sha256`;
      g.add(r, term('spdx', 'checksum'), iri(checksum));
      g.type(checksum, term('spdx', 'Checksum'));
      g.add(checksum, term('spdx', 'algorithm'), iri(sha256));
      g.add(checksum, term('spdx', 'checksumValue'), typed(dist.checksum.toLowerCase(), 'hexBinary'));
      g.type(sha256, term('spdx', 'ChecksumAlgorithm'));
    }
    const licence = ds.licenseId ? this.licenses.get(ds.licenseId) : undefined;
    const licenceUrl = licence?.url ? cleanUrl(licence.url) : undefined;
    if (licence && licenceUrl) {
      g.add(r, term('dct', 'license'), iri(licenceUrl));
      g.type(licenceUrl, term('dct', 'LicenseDocument'));
      g.add(licenceUrl, term('rdfs', 'label'), guessed(licence.title));
    }
    g.add(r, term('dct', 'issued'), dateTime(dist.createdAt));
    g.add(r, term('dct', 'modified'), dateTime(dist.updatedAt));
    return r;
  }

  /** The EU data theme (what DCAT-AP harvesters understand) and the portal's own theme beside it. */
  private addThemes(d: string, ds: DatasetDto): void {
    if (!ds.theme) return;
    const g = this.g;
    const eu = this.themes.get(ds.theme.id)?.euTheme;
    if (eu) {
      const concept = euDataTheme(eu);
      const labels = EU_DATA_THEMES[eu];
      g.add(d, term('dcat', 'theme'), iri(concept));
      g.type(concept, term('skos', 'Concept'));
      g.add(concept, term('skos', 'prefLabel'), text(labels?.en ?? eu, 'en'));
      g.add(concept, term('skos', 'prefLabel'), text(labels?.zh, 'zh'));
      g.add(concept, term('skos', 'inScheme'), iri(this.euThemeScheme()));
    }
    const own = this.iris.theme(ds.theme.id);
    g.add(d, term('dcat', 'theme'), iri(own));
    g.type(own, term('skos', 'Concept'));
    g.add(own, term('skos', 'prefLabel'), text(ds.theme.nameZh, 'zh'));
    g.add(own, term('skos', 'prefLabel'), text(ds.theme.nameEn, 'en'));
    g.add(own, term('skos', 'inScheme'), iri(this.localThemeScheme()));
  }

  private addContact(d: string, contact: NonNullable<DatasetDto['contact']>): void {
    const g = this.g;
    const c = `${d}#contact`;
    g.add(d, term('dcat', 'contactPoint'), iri(c));
    g.type(c, term('vcard', 'Kind'));
    g.add(c, term('vcard', 'fn'), guessed(contact.name));
    if (contact.email) g.add(c, term('vcard', 'hasEmail'), iri(`mailto:${encodeURI(contact.email.trim())}`));
    const phone = (contact.phone ?? '').replace(/[^\d+-]/g, '');
    if (phone) g.add(c, term('vcard', 'hasTelephone'), iri(`tel:${phone}`));
  }

  /** A department (or the platform) as a foaf:Agent with its names. */
  private agent(a: { code: string | null; nameZh: string; nameEn: string }): string {
    const node = a.code ? this.iris.department(a.code) : `${this.iris.homepage}#publisher`;
    this.g.type(node, term('foaf', 'Agent'));
    this.g.add(node, term('foaf', 'name'), text(a.nameZh, 'zh'));
    this.g.add(node, term('foaf', 'name'), text(a.nameEn, 'en'));
    return node;
  }

  private language(code: string): string {
    const node = euLanguage(code);
    this.g.type(node, term('dct', 'LinguisticSystem'));
    return node;
  }

  private euThemeScheme(): string {
    this.g.type(EU_DATA_THEME_SCHEME, term('skos', 'ConceptScheme'));
    this.g.add(EU_DATA_THEME_SCHEME, term('dct', 'title'), text('Data theme', 'en'));
    return EU_DATA_THEME_SCHEME;
  }

  private localThemeScheme(): string {
    const s = this.iris.themeScheme;
    this.g.type(s, term('skos', 'ConceptScheme'));
    this.g.add(s, term('dct', 'title'), text('政务数据主题', 'zh'));
    this.g.add(s, term('dct', 'title'), text('Government data themes', 'en'));
    return s;
  }

  private hydraView(page: HydraPage): string {
    const g = this.g;
    const v = page.pageUrl;
    // PartialCollectionView is current Hydra; PagedCollection is what ckanext-dcat harvesters look for.
    g.type(v, term('hydra', 'PartialCollectionView'), term('hydra', 'PagedCollection'));
    g.add(v, term('hydra', 'first'), iri(page.firstUrl));
    g.add(v, term('hydra', 'last'), iri(page.lastUrl));
    if (page.nextUrl) g.add(v, term('hydra', 'next'), iri(page.nextUrl));
    if (page.previousUrl) g.add(v, term('hydra', 'previous'), iri(page.previousUrl));
    g.add(v, term('hydra', 'totalItems'), typed(String(page.totalItems), 'integer'));
    g.add(v, term('hydra', 'itemsPerPage'), typed(String(page.itemsPerPage), 'integer'));
    return v;
  }
}
