import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import {
  QUALITY_CRITERIA,
  QUALITY_RULE_KINDS,
  type QualityRule,
  QualityRuleSchema,
} from '../../../contracts/datastore-quality.ts';
import { ApiError } from '../../app/api.ts';
import { en, zhCN } from '../../app/locales/index.ts';
import {
  completenessOption,
  draftOf,
  kindSuits,
  newDraft,
  RULE_KINDS,
  ruleErrors,
  ruleOf,
  rulesChanged,
  scoreRingOption,
} from './quality.ts';

const RULES: QualityRule[] = [
  { column: 'code', kind: 'pattern', regex: '^Z[0-9]{3}$' },
  { column: 'age', kind: 'range', min: 0, max: 120 },
  { column: 'age', kind: 'range', max: 120 },
  { column: 'kind', kind: 'enum', values: ['A', 'B'] },
  { column: 'day', kind: 'date_range', from: '2020-01-01' },
  { column: 'id', kind: 'resident_id' },
  { column: 'credit', kind: 'uscc' },
  { column: 'tel', kind: 'phone' },
  { column: 'id', kind: 'not_null' },
  { column: 'id', kind: 'unique' },
];

describe('rule drafts', () => {
  it('round-trips every kind of stored rule', () => {
    expect(RULES.map((r) => ruleOf(draftOf(r)))).toEqual(RULES);
    expect(rulesChanged(RULES.map(draftOf), RULES)).toBe(false);
  });

  it('keeps only the fields of the chosen kind, so the closed schema accepts the rule', () => {
    const d = { ...newDraft('age'), kind: 'range' as const, min: 1, regex: 'left over', values: ['x'] };
    expect(ruleOf(d)).toEqual({ column: 'age', kind: 'range', min: 1 });
    expect(Value.Check(QualityRuleSchema, ruleOf(d))).toBe(true);
    const e = { ...d, kind: 'enum' as const, values: [' A ', '', 'B'] };
    expect(ruleOf(e)).toEqual({ column: 'age', kind: 'enum', values: ['A', 'B'] });
    expect(ruleOf({ ...d, kind: 'unique' })).toEqual({ column: 'age', kind: 'unique' });
    expect(ruleOf({ ...d, kind: 'date_range', from: '', to: '2024-12-31' })).toEqual({
      column: 'age',
      kind: 'date_range',
      to: '2024-12-31',
    });
  });

  it('notices an edit, a removal and a new rule', () => {
    const drafts = RULES.map(draftOf);
    expect(rulesChanged(drafts.slice(1), RULES)).toBe(true);
    expect(rulesChanged([...drafts, newDraft('id')], RULES)).toBe(true);
    expect(
      rulesChanged(
        drafts.map((d, i) => (i === 1 ? { ...d, max: 99 } : d)),
        RULES,
      ),
    ).toBe(true);
  });

  it('gives every draft its own key', () => {
    expect(newDraft('a').key).not.toBe(newDraft('a').key);
  });

  it('offers the same kinds as the contract', () => {
    expect([...RULE_KINDS].sort()).toEqual([...QUALITY_RULE_KINDS].sort());
  });

  it('offers ranges on numbers and date ranges on dates only', () => {
    expect(kindSuits('range', 'integer')).toBe(true);
    expect(kindSuits('range', 'text')).toBe(false);
    expect(kindSuits('date_range', 'timestamp')).toBe(true);
    expect(kindSuits('date_range', 'numeric')).toBe(false);
    expect(kindSuits('enum', 'integer')).toBe(true);
  });
});

describe('ruleErrors', () => {
  const error = (code: string, fields: unknown) => new ApiError(400, code, 'bad', { fields }, 'req-1');

  it('groups field errors by rule index, with the field', () => {
    const m = ruleErrors(
      error('datastore.invalid_rules', [
        { path: '/rules/2/max', message: 'max is below min' },
        { path: '/rules/0/regex', message: 'bad regex' },
        { path: '/rules/2/kind', message: 'the same rule twice' },
      ]),
    );
    expect(m.get(0)).toEqual([{ field: 'regex', message: 'bad regex' }]);
    expect(m.get(2)).toEqual([
      { field: 'max', message: 'max is below min' },
      { field: 'kind', message: 'the same rule twice' },
    ]);
  });

  it('takes a schema error on the rule as a whole, and ignores other paths and errors', () => {
    const m = ruleErrors(
      error('validation.failed', [{ path: '/rules/1', message: 'no kind fits' }, { path: '/other' }]),
    );
    expect([...m.entries()]).toEqual([[1, [{ field: null, message: 'no kind fits' }]]]);
    expect(ruleErrors(new Error('network')).size).toBe(0);
    expect(ruleErrors(new ApiError(409, 'x', 'y', undefined, undefined)).size).toBe(0);
  });
});

describe('quality charts', () => {
  it('draws the score and the rest of the ring', () => {
    const option = scoreRingOption(86, false) as { series: { data: { value: number }[] }[] };
    expect(option.series[0]?.data.map((d) => d.value)).toEqual([86, 14]);
  });

  it('lists the columns top to bottom in the table order', () => {
    const option = completenessOption(
      [
        { label: 'first', completeness: 100 },
        { label: 'second', completeness: 25 },
      ],
      'axis',
      false,
    ) as { yAxis: { data: string[] }; series: { data: { value: number }[] }[] };
    // ECharts draws a category axis bottom-up: the first column goes last.
    expect(option.yAxis.data).toEqual(['second', 'first']);
    expect(option.series[0]?.data.map((d) => d.value)).toEqual([25, 100]);
  });
});

describe('quality labels', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ])('%s names and explains every criterion, kind and status', (_lang, resources) => {
    const q = resources.datastore.quality;
    const criterion = q.criterion as Record<string, Record<string, string>>;
    for (const id of QUALITY_CRITERIA) {
      for (const part of ['name', 'about', 'figures']) expect(typeof criterion[id]?.[part]).toBe('string');
    }
    for (const kind of QUALITY_RULE_KINDS)
      expect(typeof (q.kinds as Record<string, string>)[kind]).toBe('string');
    expect(Object.keys(q.statuses).sort()).toEqual(['fail', 'not_applicable', 'partial', 'pass']);
    expect(typeof (resources.errors.datastore as Record<string, string>).invalid_rules).toBe('string');
  });
});
