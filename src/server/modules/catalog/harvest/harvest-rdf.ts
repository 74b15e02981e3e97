import jsonld from 'jsonld';
import { Parser, type Quad, type Term } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { HarvestFetchError } from './harvest-fetch.ts';

// RDF documents of a DCAT source → quads → a small subject index to read datasets from. The format
// follows the Content-Type (text/turtle, application/rdf+xml, application/ld+json, N-Triples), then
// the file extension, then Turtle.

export const RDF_ACCEPT =
  'text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7, */*;q=0.1';

type RdfSyntax = 'turtle' | 'ntriples' | 'rdfxml' | 'jsonld';

function syntaxOf(contentType: string, url: string): RdfSyntax {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/turtle' || type === 'application/x-turtle' || type === 'text/n3') return 'turtle';
  if (type === 'application/n-triples') return 'ntriples';
  if (type === 'application/rdf+xml' || type === 'application/xml' || type === 'text/xml') return 'rdfxml';
  if (type === 'application/ld+json' || type === 'application/json') return 'jsonld';
  const path = new URL(url).pathname.toLowerCase();
  if (path.endsWith('.rdf') || path.endsWith('.xml')) return 'rdfxml';
  if (path.endsWith('.jsonld') || path.endsWith('.json')) return 'jsonld';
  if (path.endsWith('.nt')) return 'ntriples';
  return 'turtle';
}

/** Parses an RDF document; a parse error names the document and the syntax tried. */
export async function parseRdf(body: Buffer, contentType: string, url: string): Promise<Quad[]> {
  const syntax = syntaxOf(contentType, url);
  const text = body.toString('utf8');
  try {
    if (syntax === 'turtle' || syntax === 'ntriples')
      return new Parser({ baseIRI: url, format: syntax === 'turtle' ? 'Turtle' : 'N-Triples' }).parse(text);
    if (syntax === 'rdfxml') return await parseRdfXml(text, url);
    return await parseJsonLd(text, url);
  } catch (err) {
    throw new HarvestFetchError(
      `${url} is not readable as ${syntax}: ${(err as Error).message.slice(0, 300)}`,
    );
  }
}

function parseRdfXml(text: string, url: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI: url });
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}

async function parseJsonLd(text: string, url: string): Promise<Quad[]> {
  const doc = JSON.parse(text);
  const nquads = (await jsonld.toRDF(doc, {
    base: url,
    format: 'application/n-quads',
    // A remote @context would be another request outside the run's limits (and a way to reach
    // internal addresses): only inline contexts are accepted.
    documentLoader: async (iri: string) => {
      throw new Error(`remote JSON-LD contexts are not loaded (${iri})`);
    },
  } as jsonld.Options.ToRdf)) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads);
}

const keyOf = (t: Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : t.value);

/** Triples grouped by subject: `objects(s, p)` and the subjects of a type. */
export class RdfIndex {
  private readonly bySubject = new Map<string, Map<string, Term[]>>();

  constructor(quads: readonly Quad[]) {
    for (const q of quads) {
      const s = keyOf(q.subject);
      let preds = this.bySubject.get(s);
      if (!preds) {
        preds = new Map();
        this.bySubject.set(s, preds);
      }
      const list = preds.get(q.predicate.value) ?? [];
      list.push(q.object);
      preds.set(q.predicate.value, list);
    }
  }

  /** The objects of (subject, predicate); the subject as a term or a key from `subjectsOfType`. */
  objects(subject: Term | string, predicate: string): Term[] {
    const key = typeof subject === 'string' ? subject : keyOf(subject);
    return this.bySubject.get(key)?.get(predicate) ?? [];
  }

  /** Subject keys that have rdf:type `type`. */
  subjectsOfType(type: string): string[] {
    const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
    return [...this.bySubject.entries()]
      .filter(([, preds]) => (preds.get(RDF_TYPE) ?? []).some((o) => o.value === type))
      .map(([s]) => s);
  }

  /** Every subject key that has the predicate. */
  subjectsWith(predicate: string): string[] {
    return [...this.bySubject.entries()].filter(([, preds]) => preds.has(predicate)).map(([s]) => s);
  }
}

/** True when a subject key names a blank node. */
export const isBlankKey = (key: string) => key.startsWith('_:');
