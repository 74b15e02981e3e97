import { Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HarvestCounts, HarvestRunDto, HarvestRunStatus } from '../../../../../contracts/harvest.ts';
import { formatDateTime } from '../../text.ts';
import { isActiveRun } from '../constants.ts';

// Status colours are antd's status presets (kept at 4.5:1 contrast by the theme); antd's warning
// tag is below that, so a partly successful run is shown in blue rather than orange.
const STATUS_COLOR: Record<HarvestRunStatus, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  partial: 'processing',
  failed: 'error',
  cancelled: 'default',
};

export function RunStatusTag({ status }: { status: HarvestRunStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`catalog.harvest.enums.runStatus.${status}`)}</Tag>;
}

/** Counts a summary always names once the run has ended; the others only when not zero. */
const ALWAYS: (keyof HarvestCounts)[] = [
  'gathered',
  'created',
  'updated',
  'unchanged',
  'withdrawn',
  'errors',
];
const SUMMARY_ORDER: (keyof HarvestCounts)[] = [
  'gathered',
  'created',
  'updated',
  'unchanged',
  'withdrawn',
  'restored',
  'skipped',
  'errors',
];

/** "created 2 · updated 0 · …" in the interface language. */
export function CountsSummary({ run }: { run: HarvestRunDto }) {
  const { t } = useTranslation();
  const ended = !isActiveRun(run.status);
  const shown = SUMMARY_ORDER.filter((k) => run.counts[k] > 0 || (ended && ALWAYS.includes(k)));
  if (shown.length === 0) return null;
  return (
    <Typography.Text type="secondary">
      {shown
        .map((k) =>
          t('catalog.harvest.countItem', { label: t(`catalog.harvest.counts.${k}`), n: run.counts[k] }),
        )
        .join(' · ')}
    </Typography.Text>
  );
}

/** Status, time and counts of a run, as one compact block (tables, the source list). */
export function RunSummary({ run }: { run: HarvestRunDto }) {
  const { i18n } = useTranslation();
  return (
    <Space orientation="vertical" size={0}>
      <Space size={4} wrap>
        <RunStatusTag status={run.status} />
        <Typography.Text>
          {formatDateTime(run.finishedAt ?? run.startedAt ?? run.queuedAt, i18n.language)}
        </Typography.Text>
      </Space>
      <CountsSummary run={run} />
    </Space>
  );
}

/** Milliseconds as seconds with one decimal, in the interface language. */
export function useSeconds() {
  const { t, i18n } = useTranslation();
  return (ms: number) =>
    t('catalog.harvest.seconds', {
      value: (ms / 1000).toLocaleString(i18n.language, { maximumFractionDigits: 1 }),
    });
}
