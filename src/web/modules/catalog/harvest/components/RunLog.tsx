import { Alert, Descriptions, type DescriptionsProps, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HarvestCounts, HarvestError, HarvestRunDto } from '../../../../../contracts/harvest.ts';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../../ui/Loading.tsx';
import { formatDateTime } from '../../text.ts';
import { useHarvestRun } from '../api.ts';
import { HARVEST_STAGES, isActiveRun } from '../constants.ts';
import { RunStatusTag, useSeconds } from './RunSummary.tsx';
import '../harvest.css';

const COUNT_ORDER: (keyof HarvestCounts)[] = [
  'gathered',
  'pages',
  'created',
  'updated',
  'unchanged',
  'withdrawn',
  'restored',
  'skipped',
  'errors',
];

type ErrorRow = HarvestError & { key: number };

function Heading({ children }: { children: React.ReactNode }) {
  return (
    <Typography.Title level={3} style={{ fontSize: 15, margin: '16px 0 8px' }}>
      {children}
    </Typography.Title>
  );
}

/** What a run did: when and by whom, its counts, its timings and the errors it recorded. */
function RunDetails({ run }: { run: HarvestRunDto }) {
  const { t, i18n } = useTranslation();
  const seconds = useSeconds();
  const when = (iso: string | null) => formatDateTime(iso, i18n.language);
  const stage = (s: string) =>
    (HARVEST_STAGES as readonly string[]).includes(s) ? t(`catalog.harvest.enums.stage.${s}`) : s;
  const about: DescriptionsProps['items'] = [
    {
      key: 'status',
      label: t('catalog.harvest.fields.status'),
      children: <RunStatusTag status={run.status} />,
    },
    {
      key: 'trigger',
      label: t('catalog.harvest.fields.trigger'),
      children: t(`catalog.harvest.enums.trigger.${run.trigger}`),
    },
    { key: 'by', label: t('catalog.harvest.fields.requestedBy'), children: run.requestedBy },
    { key: 'queued', label: t('catalog.harvest.fields.queuedAt'), children: when(run.queuedAt) },
    { key: 'started', label: t('catalog.harvest.fields.startedAt'), children: when(run.startedAt) },
    { key: 'finished', label: t('catalog.harvest.fields.finishedAt'), children: when(run.finishedAt) },
  ];
  const counts: DescriptionsProps['items'] = COUNT_ORDER.map((k) => ({
    key: k,
    label: t(`catalog.harvest.counts.${k}`),
    children: run.counts[k].toLocaleString(i18n.language),
  }));
  const timings: DescriptionsProps['items'] = (['gather', 'import', 'total'] as const).map((k) => ({
    key: k,
    label: t(`catalog.harvest.timing.${k}`),
    children: seconds(run.timings[`${k}Ms`]),
  }));
  const columns: TableColumnsType<ErrorRow> = [
    {
      title: t('catalog.harvest.fields.stage'),
      dataIndex: 'stage',
      key: 'stage',
      width: 120,
      render: (s: string) => stage(s),
    },
    {
      title: t('catalog.harvest.fields.remoteId'),
      dataIndex: 'remoteId',
      key: 'remoteId',
      width: '35%',
      render: (id?: string) => (id ? <code className="harvest-remote-id">{id}</code> : '—'),
    },
    { title: t('catalog.harvest.fields.message'), dataIndex: 'message', key: 'message' },
  ];
  return (
    <>
      {isActiveRun(run.status) && (
        <Alert
          type="info"
          showIcon
          role="status"
          title={t('catalog.harvest.polling')}
          style={{ marginBottom: 12 }}
        />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2, lg: 3 }} items={about} />
      <Heading>{t('catalog.harvest.fields.counts')}</Heading>
      <Descriptions size="small" bordered column={{ xs: 2, sm: 3, lg: 5 }} items={counts} />
      <Heading>{t('catalog.harvest.timings')}</Heading>
      <Descriptions size="small" bordered column={{ xs: 1, sm: 3 }} items={timings} />
      <Heading>{t('catalog.harvest.errorsTitle')}</Heading>
      {run.counts.errors > run.errors.length && (
        <Typography.Paragraph type="secondary">
          {t('catalog.harvest.errorsTruncated', { shown: run.errors.length, total: run.counts.errors })}
        </Typography.Paragraph>
      )}
      <Table<ErrorRow>
        rowKey="key"
        size="small"
        columns={columns}
        dataSource={run.errors.map((e, key) => ({ ...e, key }))}
        pagination={run.errors.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        tableLayout="fixed"
        locale={{ emptyText: t('catalog.harvest.noErrors') }}
      />
    </>
  );
}

/** One run's log, fetched (and polled every 2 s while it is queued or running). */
export function RunLog({ runId, known }: { runId: string; known?: HarvestRunDto }) {
  const run = useHarvestRun(runId, known);
  if (run.isPending) return <Loading />;
  if (!run.data) return <ErrorAlert error={run.error} />;
  return (
    <>
      <ErrorAlert error={run.error} />
      <RunDetails run={run.data} />
    </>
  );
}
