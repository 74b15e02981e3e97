import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalBody, canonicalJson, type HashedFields, storedBody } from './audit-hash.ts';

// The verifier's fast canonical form must be byte-for-byte the one appends are hashed with.

const nullableText = fc.option(fc.string({ unit: 'binary' }), { nil: null });
const fields: fc.Arbitrary<HashedFields> = fc.record({
  at: fc.date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  }),
  actorId: fc.option(fc.uuid(), { nil: null }),
  actorLabel: fc.string({ unit: 'binary' }),
  action: fc.string({ unit: 'binary' }),
  targetType: nullableText,
  targetId: nullableText,
  departmentId: fc.option(fc.uuid(), { nil: null }),
  // What jsonb gives back: JSON.parse of JSON text.
  details: fc
    .dictionary(fc.string({ unit: 'binary' }), fc.jsonValue())
    .map((d) => JSON.parse(JSON.stringify(d))),
  ip: nullableText,
  requestId: nullableText,
});

/** canonicalize() refuses lone surrogates (appends never store them); compare only where it answers. */
function reference(f: HashedFields): string | undefined {
  try {
    return canonicalBody(f);
  } catch {
    return undefined;
  }
}

describe('fast canonical form used by verification', () => {
  it('equals canonicalize() for every entry an append can store', () => {
    fc.assert(
      fc.property(fields, (f) => {
        const expected = reference(f);
        if (expected === undefined) return;
        const stored = { ...f, atIso: f.at.toISOString(), detailsJson: canonicalJson(f.details) };
        expect(storedBody(stored)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code units and writes numbers the ECMAScript way', () => {
    expect(
      canonicalJson({ b: [1e21, 0.1, -0, 'é'], a: { '\u20ac': 1, '\ud83d\ude00': 2, '': null }, c: true }),
    ).toBe('{"a":{"":null,"€":1,"😀":2},"b":[1e+21,0.1,0,"é"],"c":true}');
  });
});
