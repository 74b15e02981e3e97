import { MEDIA_TYPES, type RdfFormat } from './dcat-serialize.ts';

// Content negotiation on a dataset's URL: one address serves the portal page to people and RDF to
// machines. RDF is sent only when the client asks for it more specifically or more strongly than for
// HTML, so browsers and `Accept: */*` clients always get the page.

interface AcceptRange {
  type: string;
  subtype: string;
  q: number;
}

/** The media ranges of an Accept header; malformed entries are ignored. */
export function parseAccept(header: string | undefined): AcceptRange[] {
  if (!header) return [];
  const ranges: AcceptRange[] = [];
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.split(';').map((s) => s.trim());
    const m = /^([\w.+*-]+)\/([\w.+*-]+)$/.exec(range.toLowerCase());
    if (!m) continue;
    let q = 1;
    for (const p of params) {
      const qm = /^q\s*=\s*([01](?:\.\d{0,3})?)$/i.exec(p);
      if (qm) q = Math.min(1, Number(qm[1]));
    }
    ranges.push({ type: m[1] as string, subtype: m[2] as string, q });
  }
  return ranges;
}

const HTML_TYPES = ['text/html', 'application/xhtml+xml'];
const RDF_CANDIDATES = (Object.entries(MEDIA_TYPES) as [RdfFormat, string][]).map(([format, type]) => ({
  format,
  type,
}));

/** How well a range list accepts a media type: its q and how specifically it was named (3 exact … 1 any). */
function acceptance(ranges: readonly AcceptRange[], mediaType: string): { q: number; specificity: number } {
  const [type, subtype] = mediaType.split('/');
  let best = { q: 0, specificity: 0 };
  for (const r of ranges) {
    const specificity =
      r.type === type && r.subtype === subtype
        ? 3
        : r.type === type && r.subtype === '*'
          ? 2
          : r.type === '*' && r.subtype === '*'
            ? 1
            : 0;
    if (specificity > best.specificity) best = { q: r.q, specificity };
  }
  return best;
}

/** The RDF format an Accept header prefers over HTML, or 'html'. */
export function negotiate(header: string | undefined): RdfFormat | 'html' {
  const ranges = parseAccept(header);
  if (ranges.length === 0) return 'html';
  const html = HTML_TYPES.map((t) => acceptance(ranges, t)).reduce((a, b) =>
    b.q > a.q || (b.q === a.q && b.specificity > a.specificity) ? b : a,
  );
  let choice: RdfFormat | 'html' = 'html';
  let best = html;
  for (const c of RDF_CANDIDATES) {
    const a = acceptance(ranges, c.type);
    if (a.q > 0 && (a.q > best.q || (a.q === best.q && a.specificity > best.specificity))) {
      choice = c.format;
      best = a;
    }
  }
  return choice;
}
