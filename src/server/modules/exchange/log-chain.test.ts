import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../platform/audit/index.ts';
import type { ExchangeAccessLogRow } from '../../platform/db-schema-exchange.ts';
import { logBodyOf } from './log-chain.ts';

// logBodyOf writes the body with JSON.stringify in JCS key order; the chain's hashes (and every
// chain already stored) depend on it giving canonicalJson's text exactly.

/** The body as canonicalJson makes it from the row's fields, in the order the docs list them. */
const reference = (r: ExchangeAccessLogRow) =>
  canonicalJson({
    at: r.at.toISOString(),
    callId: r.call_id,
    grantId: r.grant_id,
    requesterDepartmentId: r.requester_department_id,
    ownerDepartmentId: r.owner_department_id,
    datasetId: r.dataset_id,
    distributionId: r.distribution_id,
    systemName: r.system_name,
    userRef: r.user_ref,
    operation: r.operation,
    fields: r.fields,
    rowCount: r.row_count,
    subjects: r.subjects,
    purpose: r.purpose,
    caseRef: r.case_ref,
    withheldUntil: r.withheld_until,
    latencyMs: r.latency_ms,
    outcome: r.outcome,
    status: r.status,
  });

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '"', '\\', '\n', '\u2028', '低保'),
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const row: fc.Arbitrary<ExchangeAccessLogRow> = fc.record({
  entry_id: fc.nat(),
  seq: maybe(fc.nat()),
  at: fc.date({
    min: new Date('1970-01-01T00:00:00Z'),
    max: new Date('2200-01-01T00:00:00Z'),
    noInvalidDate: true,
  }),
  call_id: text,
  grant_id: maybe(fc.uuid()),
  requester_department_id: maybe(fc.uuid()),
  owner_department_id: maybe(fc.uuid()),
  dataset_id: maybe(fc.uuid()),
  distribution_id: maybe(fc.uuid()),
  system_name: maybe(text),
  user_ref: maybe(text),
  operation: text,
  fields: fc.array(text),
  row_count: fc.nat(),
  subjects: fc.array(text),
  purpose: maybe(text),
  case_ref: maybe(text),
  withheld_until: maybe(fc.constantFrom('2027-03-01', '2026-12-31')),
  // As the writer stores them: six significant digits (logBodyOf reads them as the float4 holds them).
  latency_ms: fc.oneof(
    fc.float({ noNaN: true, noDefaultInfinity: true }).map((v) => Number(v.toPrecision(6))),
    fc.constantFrom(0, 1.25, 12.34, 1e21),
  ),
  outcome: fc.constantFrom('ok', 'refused', 'invalid', 'rate_limited', 'error'),
  status: fc.integer({ min: 100, max: 599 }),
  prev_hash: maybe(fc.string()),
  hash: maybe(fc.string()),
}) as fc.Arbitrary<ExchangeAccessLogRow>;

describe('the access log body', () => {
  it('gives a latency the same text whichever digits PostgreSQL printed for its float4', () => {
    // 87875500 is stored as the float4 87875504, which PostgreSQL prints with all eight digits.
    const base = { ...fc.sample(row, 1)[0]! };
    expect(logBodyOf({ ...base, latency_ms: 87875504 })).toBe(logBodyOf({ ...base, latency_ms: 87875500 }));
    expect(logBodyOf({ ...base, latency_ms: 12.34 })).toContain('"latencyMs":12.34');
  });

  it('is canonicalJson’s text of the row’s fields, whatever they hold', () => {
    fc.assert(
      fc.property(row, (r) => {
        expect(logBodyOf(r)).toBe(reference(r));
      }),
      { numRuns: 500 },
    );
  });
});
