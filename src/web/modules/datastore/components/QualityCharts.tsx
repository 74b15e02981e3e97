import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnProfile } from '../../../../contracts/datastore-quality.ts';
import { completenessHeight, completenessOption, scoreRingOption } from '../quality.ts';
import { EChart } from './EChart.tsx';

// The quality report's two charts, in a module of their own so ECharts is fetched only when a
// report is shown (QualityReport imports these lazily). Each chart is an image with a text name;
// the same figures are in the report as text (the score beside the ring, completeness in the table).

const reducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/** The score as a ring, 0–100. */
export function ScoreRing({ score }: { score: number }) {
  const { t } = useTranslation();
  const option = useMemo(() => scoreRingOption(score, !reducedMotion()), [score]);
  return (
    <EChart
      option={option}
      label={t('datastore.quality.score.ring', { score })}
      style={{ width: 120, height: 120 }}
    />
  );
}

/** Completeness per column as horizontal bars. */
export function CompletenessChart({ columns }: { columns: readonly ColumnProfile[] }) {
  const { t } = useTranslation();
  const axis = t('datastore.quality.completeness.axis');
  const option = useMemo(() => completenessOption(columns, axis, !reducedMotion()), [columns, axis]);
  return (
    <EChart
      option={option}
      label={t('datastore.quality.completeness.chart')}
      style={{ height: completenessHeight(columns.length) }}
    />
  );
}
