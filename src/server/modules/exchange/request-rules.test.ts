import { describe, expect, it } from 'vitest';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import type { Decision } from '../../../contracts/exchange.ts';
import type { AppError } from '../../platform/errors.ts';
import { checkScope, narrowScope } from './request-rules.ts';

// The request and decision rules as pure functions of the dictionary: no database needed.

const col = (id: string, sensitivity: DictionaryColumn['sensitivity']): DictionaryColumn => ({
  id,
  label: id,
  type: 'text',
  sensitivity,
  mask: sensitivity === 'personal' ? 'full' : 'none',
});
const columns = [
  col('name', 'personal'),
  col('district', 'public'),
  col('note', 'internal'),
  col('salary', 'secret'),
];
const request = {
  fields: ['name', 'district', 'note'],
  rowFilter: { district: 'A' },
  durationDays: 90,
  confidential: false,
};

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return { code: (e as AppError).code, status: (e as AppError).status, details: (e as AppError).details };
  }
  return undefined;
};

describe('checkScope', () => {
  it('dedupes fields and accepts every non-secret column', () => {
    expect(checkScope(columns, ['name', 'name', 'note'], {})).toEqual(['name', 'note']);
  });
  it('names unknown fields, secret fields and unknown filter columns', () => {
    expect(codeOf(() => checkScope(columns, ['x', 'name'], {}))).toMatchObject({
      code: 'exchange.unknown_fields',
      details: { fields: ['x'] },
    });
    expect(codeOf(() => checkScope(columns, ['salary', 'name'], {}))).toMatchObject({
      code: 'exchange.secret_fields',
      status: 400,
      details: { fields: ['salary'] },
    });
    expect(codeOf(() => checkScope(columns, ['name'], { street: 'x' }))).toMatchObject({
      code: 'exchange.unknown_filter_columns',
    });
  });
});

describe('narrowScope', () => {
  it('grants the request as asked when the decision says nothing more', () => {
    expect(narrowScope(columns, request, { decision: 'approve' }, 600)).toEqual({
      fields: ['name', 'district', 'note'],
      rowFilter: { district: 'A' },
      durationDays: 90,
      clearFields: [],
      confidential: false,
      rateLimitPerMinute: 600,
    });
  });
  it('narrows fields, adds filter conditions, shortens and names clear personal fields', () => {
    const scope = narrowScope(
      columns,
      request,
      {
        decision: 'approve',
        fields: ['name', 'district'],
        rowFilter: { district: 'A', note: 'x' },
        durationDays: 10,
        clearFields: ['name'],
        rateLimitPerMinute: 5,
      },
      600,
    );
    expect(scope).toEqual({
      fields: ['name', 'district'],
      rowFilter: { district: 'A', note: 'x' },
      durationDays: 10,
      clearFields: ['name'],
      confidential: false,
      rateLimitPerMinute: 5,
    });
  });
  it('refuses every widening with a 409', () => {
    const widenings: Omit<Decision, 'decision'>[] = [
      { fields: ['name', 'salary'] },
      { rowFilter: {} },
      { rowFilter: { district: 'B' } },
      { durationDays: 91 },
      { confidential: true },
    ];
    for (const d of widenings) {
      expect(
        codeOf(() => narrowScope(columns, request, { decision: 'approve', ...d }, 600)),
        JSON.stringify(d),
      ).toMatchObject({
        code: 'exchange.widening',
        status: 409,
      });
    }
  });
  it('lets the owner deny confidentiality that was asked for', () => {
    const asked = { ...request, confidential: true };
    expect(narrowScope(columns, asked, { decision: 'approve' }, 1).confidential).toBe(true);
    expect(narrowScope(columns, asked, { decision: 'approve', confidential: false }, 1).confidential).toBe(
      false,
    );
  });
  it('allows clear fields only among the granted personal fields', () => {
    for (const clearFields of [['district'], ['note'], ['salary']]) {
      expect(
        codeOf(() => narrowScope(columns, request, { decision: 'approve', clearFields }, 1)),
      ).toMatchObject({
        code: 'exchange.invalid_clear_fields',
      });
    }
    expect(
      codeOf(() =>
        narrowScope(
          columns,
          request,
          { decision: 'approve', fields: ['district'], clearFields: ['name'] },
          1,
        ),
      ),
    ).toMatchObject({ code: 'exchange.invalid_clear_fields' });
  });
});
