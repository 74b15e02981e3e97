import type { EChartsCoreOption } from 'echarts/core';
import type {
  ColumnProfile,
  QualityCriterion,
  QualityRule,
  QualityRuleKind,
} from '../../../contracts/datastore-quality.ts';
import type { DatastoreType } from '../../../contracts/datastore-values.ts';
import { ApiError } from '../../app/api.ts';
import { isNumeric } from './query.ts';

// Pure helpers of the quality pages: the rules editor's drafts and the rules they become, the field
// errors of a refused rule set, and the ECharts options of the score ring and the completeness bars.
// Kept free of React (and of ECharts itself, only its option type) so they are tested alone.

/**
 * The rule kinds in the editor's order. The contract's QUALITY_RULE_KINDS lives beside TypeBox
 * schemas, which stay out of the web bundle; a test keeps the two lists equal.
 */
export const RULE_KINDS: readonly QualityRuleKind[] = [
  'not_null',
  'unique',
  'enum',
  'range',
  'date_range',
  'pattern',
  'resident_id',
  'uscc',
  'phone',
];

/** Kinds that only suit some column types; the server refuses the others, so the editor hides them. */
const DATE_TYPES: readonly string[] = ['date', 'timestamp'];

/** Whether a rule of this kind can judge a column of this type (mirrors the server's ruleSuits). */
export function kindSuits(kind: QualityRuleKind, type: DatastoreType): boolean {
  if (kind === 'range') return isNumeric(type);
  if (kind === 'date_range') return DATE_TYPES.includes(type);
  return true;
}

/** One rule as the editor holds it: every kind's fields, the ones the kind does not use ignored. */
export interface RuleDraft {
  /** A stable React key: rules have no id of their own and may repeat a column and kind. */
  key: string;
  column: string;
  kind: QualityRuleKind;
  regex: string;
  min: number | null;
  max: number | null;
  values: string[];
  from: string;
  to: string;
}

let serial = 0;
const nextKey = () => `rule-${++serial}`;

/** A blank draft for a column (a not-null rule: the one every column suits and that needs nothing). */
export const newDraft = (column: string): RuleDraft => ({
  key: nextKey(),
  column,
  kind: 'not_null',
  regex: '',
  min: null,
  max: null,
  values: [],
  from: '',
  to: '',
});

/** The editor's draft of a stored rule. */
export function draftOf(rule: QualityRule): RuleDraft {
  const d = newDraft(rule.column);
  d.kind = rule.kind;
  if (rule.kind === 'pattern') d.regex = rule.regex;
  if (rule.kind === 'range') {
    d.min = rule.min ?? null;
    d.max = rule.max ?? null;
  }
  if (rule.kind === 'enum') d.values = [...rule.values];
  if (rule.kind === 'date_range') {
    d.from = rule.from ?? '';
    d.to = rule.to ?? '';
  }
  return d;
}

/**
 * The rule a draft stands for, with only its kind's fields: the contract's objects are closed, so a
 * field left over from another kind would be refused. Empty optional bounds are left out.
 */
export function ruleOf(d: RuleDraft): QualityRule {
  const base = { column: d.column };
  switch (d.kind) {
    case 'pattern':
      return { ...base, kind: 'pattern', regex: d.regex };
    case 'range':
      return {
        ...base,
        kind: 'range',
        ...(d.min !== null ? { min: d.min } : {}),
        ...(d.max !== null ? { max: d.max } : {}),
      };
    case 'enum':
      return { ...base, kind: 'enum', values: d.values.map((v) => v.trim()).filter((v) => v !== '') };
    case 'date_range':
      return {
        ...base,
        kind: 'date_range',
        ...(d.from ? { from: d.from } : {}),
        ...(d.to ? { to: d.to } : {}),
      };
    default:
      return { ...base, kind: d.kind };
  }
}

/** Whether the drafts say something other than the stored rules (order counts: it is the report's). */
export const rulesChanged = (drafts: readonly RuleDraft[], stored: readonly QualityRule[]) =>
  JSON.stringify(drafts.map(ruleOf)) !== JSON.stringify(stored);

/** A server complaint about one rule: which field (or the rule as a whole) and why. */
export interface RuleFieldError {
  field: string | null;
  message: string;
}

/**
 * The errors of a refused rule set by rule index. Both the rules' own check (datastore.invalid_rules)
 * and the schema's (validation.failed) name fields as JSON pointers, /rules/<index>/<field>; the
 * schema may stop at /rules/<index> when no kind's shape fits.
 */
export function ruleErrors(err: unknown): Map<number, RuleFieldError[]> {
  const out = new Map<number, RuleFieldError[]>();
  if (!(err instanceof ApiError) || !Array.isArray(err.details?.fields)) return out;
  for (const f of err.details.fields as unknown[]) {
    const { path, message } = (f ?? {}) as { path?: unknown; message?: unknown };
    const match = typeof path === 'string' ? /^\/rules\/(\d+)(?:\/([^/]+))?/.exec(path) : null;
    if (!match) continue;
    const index = Number(match[1]);
    const list = out.get(index) ?? [];
    list.push({ field: match[2] ?? null, message: typeof message === 'string' ? message : '' });
    out.set(index, list);
  }
  return out;
}

/** Status colours: antd presets the theme keeps at 4.5:1 (its warning tag does not reach it). */
export const STATUS_COLOR: Record<QualityCriterion['status'], string> = {
  pass: 'success',
  partial: 'processing',
  fail: 'error',
  not_applicable: 'default',
};

/** The ring's colour for a score: the app's success, primary and error hues. */
export const scoreColor = (score: number) => (score >= 80 ? '#389e0d' : score >= 50 ? '#1677ff' : '#cf1322');

/** The score as a ring (a pie with a hole): the earned share coloured, the rest grey. */
export function scoreRingOption(score: number, animation: boolean): EChartsCoreOption {
  return {
    animation,
    series: [
      {
        type: 'pie',
        radius: ['72%', '92%'],
        silent: true,
        label: { show: false },
        data: [
          { value: score, itemStyle: { color: scoreColor(score) } },
          { value: Math.max(0, 100 - score), itemStyle: { color: '#e8e8e8' } },
        ],
      },
    ],
  };
}

/** Completeness per column as horizontal bars, the columns top to bottom in the table's order. */
export function completenessOption(
  columns: readonly Pick<ColumnProfile, 'label' | 'completeness'>[],
  axisName: string,
  animation: boolean,
): EChartsCoreOption {
  const ordered = [...columns].reverse();
  return {
    animation,
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}%` },
    grid: { left: 16, right: 40, top: 8, bottom: 32, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, name: axisName, nameLocation: 'middle', nameGap: 24 },
    yAxis: {
      type: 'category',
      data: ordered.map((c) => c.label),
      axisLabel: { width: 160, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        data: ordered.map((c) => ({
          value: c.completeness,
          itemStyle: { color: scoreColor(c.completeness) },
        })),
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
}

/** Height of the completeness chart: enough room for every column's bar. */
export const completenessHeight = (columns: number) => Math.max(120, 40 + columns * 28);
