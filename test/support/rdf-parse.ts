import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';

// Parsers for the RDF formats the platform writes, used by tests to read documents back as quads.

/** Turtle (or N-Triples) → quads. */
export const parseTurtle = (text: string): Quad[] => new Parser().parse(text);

/** JSON-LD → quads, through the jsonld processor's own toRDF (not our writer's assumptions). */
export async function parseJsonLd(text: string): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(JSON.parse(text), {
    format: 'application/n-quads',
  })) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads);
}

/** RDF/XML → quads. */
export function parseRdfXml(text: string): Promise<Quad[]> {
  return new Promise((resolve, reject) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser();
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(quads));
    parser.write(text);
    parser.end();
  });
}

/** Sorted N-Triples lines of a graph without blank nodes: equal arrays mean equal graphs. */
export function canonicalLines(quads: readonly Quad[]): string[] {
  const term = (t: Quad['object']): string => {
    if (t.termType === 'NamedNode') return `<${t.value}>`;
    if (t.termType === 'BlankNode') return `_:${t.value}`;
    if (t.termType === 'Literal')
      return `${JSON.stringify(t.value)}${t.language ? `@${t.language}` : `^^<${t.datatype.value}>`}`;
    return t.value;
  };
  return [...new Set(quads.map((q) => `${term(q.subject)} ${term(q.predicate)} ${term(q.object)} .`))].sort();
}
