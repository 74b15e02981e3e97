import { type Quad, type Term, Writer } from 'n3';
import { euAccessRight, euDataTheme, euFileType, euFrequency, euLanguage, NS } from './dcat-vocab.ts';

// Quads → the RDF formats the export offers. Turtle and N-Triples come from n3's Writer; JSON-LD and
// RDF/XML are written here for the flat graphs DcatGraph builds (one node object / one
// rdf:Description per subject): small, dependency-free and exact, so that each format parses back
// to the same triples (the tests check that).

export const RDF_FORMATS = ['ttl', 'jsonld', 'rdf', 'nt'] as const;
export type RdfFormat = (typeof RDF_FORMATS)[number];

/** The media type each format is served as. */
export const MEDIA_TYPES: Readonly<Record<RdfFormat, string>> = {
  ttl: 'text/turtle',
  jsonld: 'application/ld+json',
  rdf: 'application/rdf+xml',
  nt: 'application/n-triples',
};

/** Prefixes of the written documents: the vocabularies and the EU authority tables. */
export const PREFIXES: Readonly<Record<string, string>> = {
  ...NS,
  datatheme: euDataTheme(''),
  frequency: euFrequency(''),
  accessright: euAccessRight(''),
  filetype: euFileType(''),
  language: euLanguage(''),
};

const RDF_TYPE = `${NS.rdf}type`;
const XSD_STRING = `${NS.xsd}string`;
const LANG_STRING = `${NS.rdf}langString`;
// A local name every format accepts unescaped (Turtle PN_LOCAL, JSON-LD suffix, XML NCName).
const SIMPLE_LOCAL = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The text without what XML 1.0 cannot carry at all (C0 controls other than tab, LF and CR; U+FFFE,
 * U+FFFF; lone surrogates). Literals go through this before any writer, so that all formats agree.
 */
export function xmlSafe(text: string): string {
  let out = '';
  for (const ch of text.toWellFormed()) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) continue;
    out += ch;
  }
  return out;
}

/** Writes the quads in the given format. */
export async function serializeRdf(quads: readonly Quad[], format: RdfFormat): Promise<string> {
  switch (format) {
    case 'ttl':
      return writeN3(quads, { format: 'Turtle', prefixes: { ...PREFIXES } });
    case 'nt':
      return writeN3(quads, { format: 'N-Triples' });
    case 'jsonld':
      return `${JSON.stringify(toJsonLd(quads), null, 2)}\n`;
    case 'rdf':
      return toRdfXml(quads);
  }
}

function writeN3(quads: readonly Quad[], options: ConstructorParameters<typeof Writer>[0]): Promise<string> {
  return new Promise((resolve, reject) => {
    const writer = new Writer(options);
    writer.addQuads([...quads]);
    writer.end((err, result: string) => (err ? reject(err) : resolve(result)));
  });
}

/** `prefix:local` when a prefix covers the IRI with a simple local name, else the IRI itself. */
function compact(iri: string): string {
  for (const [prefix, ns] of Object.entries(PREFIXES)) {
    if (iri.startsWith(ns) && SIMPLE_LOCAL.test(iri.slice(ns.length)))
      return `${prefix}:${iri.slice(ns.length)}`;
  }
  return iri;
}

/** Subjects in first-seen order, each with its triples. */
function bySubject(quads: readonly Quad[]): Map<string, { subject: Term; triples: Quad[] }> {
  const subjects = new Map<string, { subject: Term; triples: Quad[] }>();
  for (const q of quads) {
    const key = `${q.subject.termType}:${q.subject.value}`;
    const entry = subjects.get(key) ?? { subject: q.subject, triples: [] };
    entry.triples.push(q);
    subjects.set(key, entry);
  }
  return subjects;
}

type JsonLdValue = { '@id': string } | { '@value': string; '@language'?: string; '@type'?: string };
type JsonLdNode = Record<string, string | string[] | JsonLdValue | JsonLdValue[]>;

const nodeId = (t: Term) => (t.termType === 'BlankNode' ? `_:${t.value}` : compact(t.value));

function jsonLdValue(t: Term): JsonLdValue {
  if (t.termType !== 'Literal') return { '@id': nodeId(t) };
  if (t.language) return { '@value': t.value, '@language': t.language };
  if (t.datatype.value === XSD_STRING) return { '@value': t.value };
  return { '@value': t.value, '@type': compact(t.datatype.value) };
}

/** A JSON-LD document: the prefixes as @context and one node object per subject in @graph. */
export function toJsonLd(quads: readonly Quad[]): {
  '@context': Record<string, string>;
  '@graph': JsonLdNode[];
} {
  const graph: JsonLdNode[] = [];
  for (const { subject, triples } of bySubject(quads).values()) {
    const node: JsonLdNode = { '@id': nodeId(subject) };
    const types: string[] = [];
    const props = new Map<string, JsonLdValue[]>();
    for (const q of triples) {
      if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
        types.push(compact(q.object.value));
        continue;
      }
      const key = compact(q.predicate.value);
      props.set(key, [...(props.get(key) ?? []), jsonLdValue(q.object)]);
    }
    if (types.length) node['@type'] = types.length === 1 ? (types[0] as string) : types;
    for (const [key, values] of props) node[key] = values.length === 1 ? (values[0] as JsonLdValue) : values;
    graph.push(node);
  }
  return { '@context': { ...PREFIXES }, '@graph': graph };
}

// XML 1.0 escapes. Carriage returns and (in attributes) tabs and newlines are written as character
// references, or an XML parser would normalise them away.
const escapeText = (s: string) =>
  s.replace(/[&<>\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[c] as string);
const escapeAttr = (s: string) =>
  s.replace(
    /[&<>"\t\n\r]/g,
    (c) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[
        c
      ] as string,
  );

/** An RDF/XML document with one rdf:Description per subject. */
export function toRdfXml(quads: readonly Quad[]): string {
  const namespaces = new Map<string, string>([['rdf', NS.rdf]]);
  const qname = (iri: string): string => {
    for (const [prefix, ns] of Object.entries(PREFIXES)) {
      if (iri.startsWith(ns) && SIMPLE_LOCAL.test(iri.slice(ns.length))) {
        namespaces.set(prefix, ns);
        return `${prefix}:${iri.slice(ns.length)}`;
      }
    }
    // A predicate outside the known vocabularies: split at the last '#' or '/' into a namespace of its own.
    const m = /^(.*[#/])([A-Za-z_][A-Za-z0-9_.-]*)$/.exec(iri);
    if (!m) throw new Error(`RDF/XML cannot name the property <${iri}>`);
    const [, ns = '', local = ''] = m;
    let prefix = [...namespaces].find(([, n]) => n === ns)?.[0];
    if (!prefix) {
      prefix = `ns${namespaces.size}`;
      namespaces.set(prefix, ns);
    }
    return `${prefix}:${local}`;
  };
  const blankIds = new Map<string, string>();
  const blank = (t: Term) => {
    let id = blankIds.get(t.value);
    if (!id) {
      id = `b${blankIds.size + 1}`;
      blankIds.set(t.value, id);
    }
    return id;
  };
  const ref = (t: Term) =>
    t.termType === 'BlankNode' ? `rdf:nodeID="${blank(t)}"` : `rdf:about="${escapeAttr(t.value)}"`;

  const body: string[] = [];
  for (const { subject, triples } of bySubject(quads).values()) {
    body.push(`  <rdf:Description ${ref(subject)}>`);
    for (const q of triples) {
      const p = qname(q.predicate.value);
      const o = q.object;
      if (o.termType === 'NamedNode') body.push(`    <${p} rdf:resource="${escapeAttr(o.value)}"/>`);
      else if (o.termType === 'BlankNode') body.push(`    <${p} rdf:nodeID="${blank(o)}"/>`);
      else if (o.termType === 'Literal') {
        const dt = o.datatype.value;
        const attr = o.language
          ? ` xml:lang="${escapeAttr(o.language)}"`
          : dt === XSD_STRING || dt === LANG_STRING
            ? ''
            : ` rdf:datatype="${escapeAttr(dt)}"`;
        body.push(`    <${p}${attr}>${escapeText(o.value)}</${p}>`);
      }
    }
    body.push('  </rdf:Description>');
  }
  const xmlns = [...namespaces].map(([prefix, ns]) => `\n    xmlns:${prefix}="${escapeAttr(ns)}"`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${xmlns}>\n${body.join('\n')}\n</rdf:RDF>\n`;
}
