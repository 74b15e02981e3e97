import { describe, expect, it } from 'vitest';
import { parseModifiedSince } from './dcat.service.ts';
import { negotiate, parseAccept } from './dcat-negotiate.ts';

describe('negotiate', () => {
  it.each([
    [undefined, 'html'],
    ['', 'html'],
    ['*/*', 'html'],
    ['text/*', 'html'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8', 'html'],
    ['application/json', 'html'],
    ['text/turtle', 'ttl'],
    ['text/turtle, */*;q=0.1', 'ttl'],
    ['application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', 'jsonld'],
    ['application/rdf+xml', 'rdf'],
    ['application/n-triples', 'nt'],
    ['text/turtle;q=0.4, application/rdf+xml;q=0.8', 'rdf'],
    ['text/turtle;q=0.5, text/html', 'html'],
    ['text/html;q=0.5, text/turtle', 'ttl'],
    ['text/turtle;q=0, */*', 'html'],
    ['garbage, text/turtle', 'ttl'],
  ] as const)('Accept %j → %s', (accept, expected) => {
    expect(negotiate(accept)).toBe(expected);
  });

  it('reads q values and ignores malformed ranges', () => {
    expect(parseAccept('text/turtle;q=0.5, nonsense, application/rdf+xml')).toEqual([
      { type: 'text', subtype: 'turtle', q: 0.5 },
      { type: 'application', subtype: 'rdf+xml', q: 1 },
    ]);
  });
});

describe('parseModifiedSince', () => {
  it.each([
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['2024-03-01T08:30', '2024-03-01T08:30:00.000Z'],
    ['2024-03-01T08:30:15.250Z', '2024-03-01T08:30:15.250Z'],
    ['2024-03-01T08:30:00+08:00', '2024-03-01T00:30:00.000Z'],
    // An unencoded '+' in a query string arrives as a space.
    ['2024-03-01T08:30:00 08:00', '2024-03-01T00:30:00.000Z'],
  ])('%s → %s', (given, expected) => {
    expect(parseModifiedSince(given).toISOString()).toBe(expected);
  });

  it.each(['yesterday', '2024-13-01', '2024-03-01T25:00', '1700000000', '2024-3-1'])(
    'refuses %s with 400',
    (given) => {
      expect(() => parseModifiedSince(given)).toThrow(expect.objectContaining({ status: 400 }));
    },
  );
});
