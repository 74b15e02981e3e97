import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  type DescriptionsProps,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { HarvestRunDto, HarvestSourceDto } from '../../../../../contracts/harvest.ts';
import { ApiError } from '../../../../app/api.ts';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../../ui/Loading.tsx';
import { NotFoundPage } from '../../../../ui/NotFoundPage.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useDialog } from '../../../../ui/useDialog.ts';
import { formatDateTime, nameOf } from '../../text.ts';
import { useHarvestRuns, useHarvestSource } from '../api.ts';
import { RunLog } from '../components/RunLog.tsx';
import { CountsSummary, RunStatusTag, useSeconds } from '../components/RunSummary.tsx';
import { SourceActions } from '../components/SourceActions.tsx';
import { SourceFormModal } from '../components/SourceFormModal.tsx';
import { bytesToMb } from '../source-form.ts';
import '../../catalog.css';
import '../harvest.css';

const heading = (text: string) => <h2 className="card-heading">{text}</h2>;

/** The source's settings, limits and what it has brought in. */
function SourceDetails({ source }: { source: HarvestSourceDto }) {
  const { t, i18n } = useTranslation();
  const number = (n: number) => n.toLocaleString(i18n.language);
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('catalog.harvest.fields.name'), children: <code>{source.name}</code> },
    {
      key: 'kind',
      label: t('catalog.harvest.fields.kind'),
      children: t(`catalog.harvest.enums.kind.${source.kind}`),
    },
    {
      key: 'url',
      label: t('catalog.harvest.fields.url'),
      children: <span className="harvest-url">{source.url}</span>,
    },
    { key: 'department', label: t('fields.department'), children: nameOf(source.department, i18n.language) },
    {
      key: 'schedule',
      label: t('catalog.harvest.fields.schedule'),
      children: t(`catalog.harvest.enums.schedule.${source.schedule}`),
    },
    {
      key: 'next',
      label: t('catalog.harvest.nextRunAt'),
      children: source.nextRunAt
        ? formatDateTime(source.nextRunAt, i18n.language)
        : t('catalog.harvest.notScheduled'),
    },
    { key: 'datasets', label: t('catalog.harvest.datasets'), children: number(source.datasetCount) },
    {
      key: 'limits',
      label: t('catalog.harvest.limits'),
      span: 'filled',
      children: [
        `${t('catalog.harvest.fields.maxPages')}: ${number(source.limits.maxPages)}`,
        `${t('catalog.harvest.fields.maxResponseMb')}: ${number(bytesToMb(source.limits.maxResponseBytes))}`,
        `${t('catalog.harvest.fields.maxSeconds')}: ${number(source.limits.maxSeconds)}`,
        `${t('catalog.harvest.fields.maxDatasets')}: ${number(source.limits.maxDatasets)}`,
      ].join(t('common.listSeparator')),
    },
  ];
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} />;
}

/** The source's runs, newest first; choosing one shows its log below. */
function RunsTable({
  runs,
  selected,
  onSelect,
}: {
  runs: HarvestRunDto[];
  selected: string | undefined;
  onSelect: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const seconds = useSeconds();
  const columns: TableColumnsType<HarvestRunDto> = [
    {
      title: t('catalog.harvest.fields.queuedAt'),
      key: 'queued',
      render: (_: unknown, r) => formatDateTime(r.queuedAt, i18n.language),
    },
    {
      title: t('catalog.harvest.fields.status'),
      key: 'status',
      render: (_: unknown, r) => <RunStatusTag status={r.status} />,
    },
    {
      title: t('catalog.harvest.fields.trigger'),
      key: 'trigger',
      render: (_: unknown, r) => t(`catalog.harvest.enums.trigger.${r.trigger}`),
    },
    {
      title: t('catalog.harvest.fields.counts'),
      key: 'counts',
      render: (_: unknown, r) => <CountsSummary run={r} />,
    },
    {
      title: t('catalog.harvest.fields.duration'),
      key: 'duration',
      render: (_: unknown, r) => (r.finishedAt ? seconds(r.timings.totalMs) : '—'),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, r) => {
        const time = formatDateTime(r.queuedAt, i18n.language);
        return (
          <Button
            size="small"
            type={r.id === selected ? 'primary' : 'default'}
            aria-pressed={r.id === selected}
            aria-label={t('catalog.harvest.viewLogFor', { time })}
            onClick={() => onSelect(r.id)}
          >
            {t('catalog.harvest.viewLog')}
          </Button>
        );
      },
    },
  ];
  return (
    <Table<HarvestRunDto>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={runs}
      scroll={{ x: 'max-content' }}
      pagination={runs.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
      locale={{ emptyText: t('catalog.harvest.noRuns') }}
    />
  );
}

function SourceView({ source }: { source: HarvestSourceDto }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const runs = useHarvestRuns(source.id);
  const editing = useDialog<HarvestSourceDto>();
  const [params, setParams] = useSearchParams();
  const select = (id: string) => setParams({ run: id }, { replace: true });
  // The chosen run (?run=), else the newest.
  const runId = params.get('run') ?? runs.data?.[0]?.id ?? source.lastRun?.id;
  const known =
    runs.data?.find((r) => r.id === runId) ??
    (source.lastRun && source.lastRun.id === runId ? source.lastRun : undefined);
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/console/catalog/harvest">{t('catalog.harvest.title')}</Link> },
          { key: 'this', title: source.title },
        ]}
      />
      <PageTitle
        title={source.title}
        extra={
          <SourceActions
            source={source}
            onEdit={() => editing.show(source)}
            onRunQueued={(run) => select(run.id)}
          />
        }
      />
      <div style={{ marginBottom: 12 }}>
        <Tag>{t(`catalog.harvest.enums.kind.${source.kind}`)}</Tag>
        {source.active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>}
      </div>
      {!source.active && (
        <Alert type="info" showIcon title={t('catalog.harvest.inactiveNote')} style={{ marginBottom: 16 }} />
      )}
      <Card title={heading(t('catalog.harvest.details'))} style={{ marginBottom: 16 }}>
        <SourceDetails source={source} />
      </Card>
      <Card title={heading(t('catalog.harvest.runs'))} style={{ marginBottom: 16 }}>
        <ErrorAlert error={runs.error} />
        <RunsTable runs={runs.data ?? []} selected={runId} onSelect={select} />
      </Card>
      {runId && (
        <Card
          title={heading(
            known
              ? t('catalog.harvest.logOf', { time: formatDateTime(known.queuedAt, i18n.language) })
              : t('catalog.harvest.log'),
          )}
        >
          <RunLog key={runId} runId={runId} known={known} />
        </Card>
      )}
      <SourceFormModal
        key={editing.key}
        open={editing.open}
        source={editing.value}
        onClose={editing.hide}
        onSaved={() => {
          editing.hide();
          message.success(t('catalog.harvest.saved'));
        }}
      />
    </>
  );
}

/** /console/catalog/harvest/:id: one source, its runs and the log of one run. */
export default function HarvestSourcePage() {
  const { id } = useParams();
  const source = useHarvestSource(id);
  if (source.isPending) return <Loading />;
  if (source.error) {
    const status = source.error instanceof ApiError ? source.error.status : 0;
    return status === 404 || status === 400 ? <NotFoundPage /> : <ErrorAlert error={source.error} />;
  }
  return <SourceView source={source.data} />;
}
