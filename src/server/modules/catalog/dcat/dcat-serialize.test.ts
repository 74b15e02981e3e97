import fc from 'fast-check';
import { DataFactory, type Quad } from 'n3';
import { describe, expect, it } from 'vitest';
import {
  canonicalLines,
  parseJsonLd,
  parseRdfXml,
  parseTurtle,
} from '../../../../../test/support/rdf-parse.ts';
import { RDF_FORMATS, type RdfFormat, serializeRdf, xmlSafe } from './dcat-serialize.ts';
import { NS } from './dcat-vocab.ts';

// Every writer must give back exactly the triples it was given, whatever the text: quotes, markup,
// line breaks, astral characters. The documents are read back by independent parsers (n3, jsonld,
// rdfxml-streaming-parser), not by our own code.

const { namedNode, literal, quad } = DataFactory;

const parseAs = (format: RdfFormat, text: string): Promise<Quad[]> | Quad[] =>
  format === 'jsonld' ? parseJsonLd(text) : format === 'rdf' ? parseRdfXml(text) : parseTurtle(text);

// What XML 1.0 can carry (DcatGraph strips the rest before it gets here).
const xmlText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('<', '>', '&', '"', "'", '\r', '\n', '\t', '\\', ' ', ']]>', '中', '😀'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .map(xmlSafe);

const iriArb = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }).map((u) => new URL(u).href),
  fc.constantFrom(
    `${NS.dcat}Dataset`,
    'http://publications.europa.eu/resource/authority/file-type/CSV',
    'https://www.iana.org/assignments/media-types/text/csv',
    'urn:gbt2260:330100',
    'mailto:a@b.example',
  ),
);
const predicateArb = fc.constantFrom(
  `${NS.dct}title`,
  `${NS.dcat}keyword`,
  `${NS.dcat}accessURL`,
  `${NS.rdf}type`,
  `${NS.hydra}totalItems`,
  'http://example.org/vocab#custom-prop',
);
const objectArb = fc.oneof(
  iriArb.map((i) => namedNode(i)),
  xmlText.map((t) => literal(t)),
  fc.tuple(xmlText, fc.constantFrom('zh', 'en')).map(([t, l]) => literal(t, l)),
  fc.nat().map((n) => literal(String(n), namedNode(`${NS.xsd}nonNegativeInteger`))),
  fc.date({ noInvalidDate: true }).map((d) => literal(d.toISOString(), namedNode(`${NS.xsd}dateTime`))),
);
const graphArb = fc.array(
  fc
    .tuple(iriArb, predicateArb, objectArb)
    .map(([s, p, o]) =>
      quad(
        namedNode(s),
        namedNode(p),
        p === `${NS.rdf}type` && o.termType === 'Literal' ? namedNode(`${NS.dcat}Dataset`) : o,
      ),
    ),
  { minLength: 1, maxLength: 12 },
);

describe('serializeRdf', () => {
  for (const format of RDF_FORMATS) {
    it(`writes ${format} that parses back to the same triples`, async () => {
      await fc.assert(
        fc.asyncProperty(graphArb, async (quads) => {
          const back = await parseAs(format, await serializeRdf(quads, format));
          expect(canonicalLines(back)).toEqual(canonicalLines(quads));
        }),
        { numRuns: format === 'jsonld' ? 60 : 120 },
      );
    });
  }

  it('escapes markup in RDF/XML text and attributes', async () => {
    const xml = await serializeRdf(
      [
        quad(
          namedNode('https://x.example/a?b=1&c=<2>'),
          namedNode(`${NS.dct}title`),
          literal('</dct:title><x a="1">&', 'zh'),
        ),
      ],
      'rdf',
    );
    expect(xml).toContain('rdf:about="https://x.example/a?b=1&amp;c=&lt;2&gt;"');
    expect(xml).toContain('&lt;/dct:title&gt;&lt;x a="1"&gt;&amp;');
  });
});
