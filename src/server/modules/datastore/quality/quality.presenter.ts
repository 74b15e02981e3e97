import type { DictionaryColumn } from '../../../../contracts/datastore.ts';
import type { ColumnProfile, DatastoreQuality, RuleResult } from '../../../../contracts/datastore-quality.ts';
import { columnAccess, effectiveMask, type ReaderClass } from '../datastore.policy.ts';
import { maskValue } from '../types/index.ts';
import type { StoredQuality } from './quality.repository.ts';

// Quality as one caller may see it. Figures are computed once, from the values in clear; what they
// reveal then narrows by the dictionary as the access views narrow rows: hidden columns are left
// out altogether; for masked ones the counts stay, the values that would show through (min/max,
// lengths, most common values) go, and rule examples are masked by the column's rule — with
// maskValue, the JS twin of the views' maskExpression, so an example reads exactly as the caller's
// view would show that row.

export interface QualityView {
  distributionId: string;
  datasetId: string;
  cls: ReaderClass;
  dictionary: readonly DictionaryColumn[];
  stored: StoredQuality | null;
  datasetScore: number | null;
  canEdit: boolean;
}

/** The column's access for the caller; a column no longer in the dictionary is for stewards only. */
function accessOf(v: QualityView, columnId: string) {
  const column = v.dictionary.find((c) => c.id === columnId);
  if (!column)
    return v.cls === 'steward' ? { access: 'clear' as const, column } : { access: 'hidden' as const };
  return { access: columnAccess(v.cls, column.sensitivity), column };
}

function presentRule(v: QualityView, result: RuleResult): RuleResult | null {
  const seen = accessOf(v, result.rule.column);
  if (seen.access === 'hidden') return null;
  if (seen.access === 'clear' || !seen.column) return result;
  const mask = effectiveMask(seen.column.mask);
  return { ...result, examples: result.examples.map((e) => ({ id: e.id, value: maskValue(e.value, mask) })) };
}

/** The API shape of a table's quality for a class of reader. */
export function toQualityDto(v: QualityView): DatastoreQuality {
  const s = v.stored;
  const columns: ColumnProfile[] = [];
  for (const c of s?.columns ?? []) {
    const seen = accessOf(v, c.id);
    if (seen.access === 'hidden') continue;
    columns.push(
      seen.access === 'clear'
        ? { ...c, access: 'clear' }
        : { ...c, min: null, max: null, minLength: null, maxLength: null, mostCommon: [], access: 'masked' },
    );
  }
  return {
    distributionId: v.distributionId,
    datasetId: v.datasetId,
    version: s?.version ?? null,
    computedAt: s?.computedAt ?? null,
    durationMs: s?.durationMs ?? null,
    rows: s?.rows ?? 0,
    columns,
    rules: (s?.rules ?? []).map((r) => presentRule(v, r)).filter((r): r is RuleResult => r !== null),
    score: s?.score ?? null,
    datasetScore: v.datasetScore,
    error: s?.error ?? null,
    canEdit: v.canEdit,
  };
}
