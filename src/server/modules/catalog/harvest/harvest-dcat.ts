import type { Literal, Term } from 'n3';
import { FREQUENCIES } from '../dcat/dcat-vocab.ts';
import { httpUrl } from './harvest-fetch.ts';
import type { RemoteDataset, RemoteDistribution } from './harvest-mapping.ts';
import { isBlankKey, parseRdf, RDF_ACCEPT, RdfIndex } from './harvest-rdf.ts';
import type { GatherEnv, GatherItem, GatherPage } from './harvest-types.ts';

// Gathering from a DCAT catalog document, as ckanext-dcat's RDF harvester does: read the catalog,
// take each dcat:Dataset with its distributions, and follow Hydra paging (hydra:next, or the older
// hydra:nextPage of PagedCollection) until there is no next page. Civitas's own /catalog.ttl and
// ckanext-dcat portals both page this way.

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const VCARD = 'http://www.w3.org/2006/vcard/ns#';
const FOAF = 'http://xmlns.com/foaf/0.1/';
const SCHEMA = 'http://schema.org/';

/** Where the catalog is read: the given document, or /catalog.ttl of a portal given by its root. */
export function dcatStartUrl(url: string): string {
  const u = new URL(url);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/catalog.ttl';
  return u.href;
}

/** Pages of remote datasets from the catalog and its Hydra next pages. */
export async function* gatherDcat(sourceUrl: string, env: GatherEnv): AsyncGenerator<GatherPage> {
  let url: string | undefined = dcatStartUrl(sourceUrl);
  while (url) {
    const fetched = await env.fetchPage(url, RDF_ACCEPT);
    const graph = new RdfIndex(await parseRdf(fetched.body, fetched.contentType, fetched.url));
    yield { items: graph.subjectsOfType(`${DCAT}Dataset`).map((d) => datasetItem(graph, d)) };
    url = nextPage(graph, fetched.url);
  }
}

/** The next page named by Hydra, resolved against the page's own address. */
function nextPage(graph: RdfIndex, pageUrl: string): string | undefined {
  for (const predicate of [`${HYDRA}next`, `${HYDRA}nextPage`]) {
    for (const s of graph.subjectsWith(predicate)) {
      const next = graph.objects(s, predicate)[0];
      if (next && next.termType !== 'BlankNode') return httpUrl(next.value, pageUrl).href;
    }
  }
  return undefined;
}

const literals = (terms: readonly Term[]) => terms.filter((t): t is Literal => t.termType === 'Literal');
const first = (terms: readonly Term[]) => terms[0]?.value;

/** Texts by language: Chinese, English, and untagged. */
function texts(terms: readonly Term[]) {
  const lits = literals(terms);
  const lang = (prefix: string) => lits.find((l) => l.language.toLowerCase().startsWith(prefix))?.value;
  const plain = lits.find((l) => !l.language)?.value;
  const any = lits[0]?.value;
  const en = lang('en');
  return { zh: lang('zh') ?? plain ?? (en ? undefined : any), en };
}

/** The last path segment of an IRI ("…/file-type/CSV" → "CSV"). */
const lastSegment = (iri: string) => iri.split(/[/#]/).filter(Boolean).pop() ?? '';

function datasetItem(graph: RdfIndex, d: string): GatherItem {
  const identifier = first(literals(graph.objects(d, `${DCT}identifier`)));
  const remoteId = isBlankKey(d) ? identifier : d;
  if (!remoteId) return { error: 'a dcat:Dataset with neither an IRI nor a dct:identifier' };
  try {
    return mapDataset(graph, d, remoteId, identifier);
  } catch (err) {
    return { remoteId, error: (err as Error).message };
  }
}

function mapDataset(graph: RdfIndex, d: string, remoteId: string, identifier?: string): RemoteDataset {
  const title = texts(graph.objects(d, `${DCT}title`));
  const description = texts(graph.objects(d, `${DCT}description`));
  const distributions = graph.objects(d, `${DCAT}distribution`).map((t) => distribution(graph, t));
  const license =
    first(graph.objects(d, `${DCT}license`)) ??
    graph.objects(d, `${DCAT}distribution`).flatMap((t) => graph.objects(t, `${DCT}license`))[0]?.value;
  const frequency = first(graph.objects(d, `${DCT}accrualPeriodicity`));
  const updateCycle = frequency
    ? Object.entries(FREQUENCIES).find(([, code]) => code === lastSegment(frequency))?.[0]
    : undefined;
  const temporal = graph.objects(d, `${DCT}temporal`)[0];
  const contact = graph.objects(d, `${DCAT}contactPoint`)[0];
  const publisher = graph.objects(d, `${DCT}publisher`)[0];
  const themes = graph.objects(d, `${DCAT}theme`).map((t) => decodeURIComponent(lastSegment(t.value)));
  return {
    remoteId,
    // Portals name dataset IRIs after their slug (…/dataset/<name>).
    name: isBlankKey(d) ? identifier : lastSegment(d.split('#')[0] ?? d),
    titleZh: title.zh,
    titleEn: title.en,
    descriptionZh: description.zh,
    descriptionEn: description.en,
    keywords: literals(graph.objects(d, `${DCAT}keyword`)).map((l) => l.value),
    license,
    identifier,
    // The portal's own theme (last segment of its IRI) first, EU data-theme codes after.
    themes: [...themes.filter((t) => !/^[A-Z]{4}$/.test(t)), ...themes.filter((t) => /^[A-Z]{4}$/.test(t))],
    updateCycle,
    spatialCodes: graph.objects(d, `${DCT}spatial`).flatMap((s) => {
      const code = s.value.match(/^urn:gbt2260:(\d{6})$/)?.[1] ?? first(graph.objects(s, `${DCT}identifier`));
      return code ? [code] : [];
    }),
    temporalStart: temporal
      ? (first(graph.objects(temporal, `${DCAT}startDate`)) ??
        first(graph.objects(temporal, `${SCHEMA}startDate`)))
      : undefined,
    temporalEnd: temporal
      ? (first(graph.objects(temporal, `${DCAT}endDate`)) ??
        first(graph.objects(temporal, `${SCHEMA}endDate`)))
      : undefined,
    contact: contact
      ? {
          name: first(graph.objects(contact, `${VCARD}fn`)),
          email: first(graph.objects(contact, `${VCARD}hasEmail`)),
          phone: first(graph.objects(contact, `${VCARD}hasTelephone`)),
        }
      : undefined,
    publisher: publisher ? texts(graph.objects(publisher, `${FOAF}name`)).zh : undefined,
    extras: {},
    distributions,
  };
}

function distribution(graph: RdfIndex, t: Term): RemoteDistribution {
  const url =
    first(graph.objects(t, `${DCAT}downloadURL`)) ?? first(graph.objects(t, `${DCAT}accessURL`)) ?? '';
  const format = graph.objects(t, `${DCT}format`)[0];
  const mediaType = graph.objects(t, `${DCAT}mediaType`)[0];
  const formatText = format
    ? format.termType === 'Literal'
      ? format.value
      : lastSegment(format.value)
    : mediaType
      ? lastSegment(mediaType.value).toUpperCase()
      : '';
  const title = texts(graph.objects(t, `${DCT}title`));
  const description = texts(graph.objects(t, `${DCT}description`));
  return {
    name: title.zh ?? title.en ?? '',
    url,
    format: formatText,
    description: description.zh ?? description.en ?? '',
    kind: 'link',
  };
}
