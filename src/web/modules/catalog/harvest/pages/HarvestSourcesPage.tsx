import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { HarvestRunDto, HarvestSourceDto } from '../../../../../contracts/harvest.ts';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useDialog } from '../../../../ui/useDialog.ts';
import { nameOf } from '../../text.ts';
import { useHarvestRun, useHarvestSources } from '../api.ts';
import { RunSummary } from '../components/RunSummary.tsx';
import { SourceActions } from '../components/SourceActions.tsx';
import { SourceFormModal } from '../components/SourceFormModal.tsx';
import '../../catalog.css';
import '../harvest.css';

/** The latest run as the list knows it, kept current while it is queued or running. */
function LiveRun({ run }: { run: HarvestRunDto }) {
  const current = useHarvestRun(run.id, run);
  return <RunSummary run={current.data ?? run} />;
}

function LastRun({ run }: { run: HarvestRunDto | null }) {
  const { t } = useTranslation();
  if (!run) return <Typography.Text type="secondary">{t('catalog.harvest.never')}</Typography.Text>;
  return <LiveRun run={run} />;
}

/** /console/catalog/harvest: the remote catalogs harvested into this one, and their latest runs. */
export default function HarvestSourcesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const sources = useHarvestSources();
  const editing = useDialog<HarvestSourceDto>();

  const columns: TableColumnsType<HarvestSourceDto> = [
    {
      title: t('catalog.harvest.fields.title'),
      key: 'title',
      render: (_: unknown, s) => (
        <>
          <Link to={`/console/catalog/harvest/${s.id}`}>{s.title}</Link>
          <br />
          <Typography.Text type="secondary" code>
            {s.name}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('catalog.harvest.fields.kind'),
      key: 'kind',
      render: (_: unknown, s) => <Tag>{t(`catalog.harvest.enums.kind.${s.kind}`)}</Tag>,
    },
    {
      title: t('catalog.harvest.fields.url'),
      key: 'url',
      width: 240,
      render: (_: unknown, s) => <span className="harvest-url">{s.url}</span>,
    },
    {
      title: t('fields.department'),
      key: 'department',
      render: (_: unknown, s) => nameOf(s.department, i18n.language),
    },
    {
      title: t('catalog.harvest.fields.schedule'),
      key: 'schedule',
      render: (_: unknown, s) => t(`catalog.harvest.enums.schedule.${s.schedule}`),
    },
    {
      title: t('common.status'),
      key: 'active',
      render: (_: unknown, s) =>
        s.active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
    },
    {
      title: t('catalog.harvest.lastRun'),
      key: 'lastRun',
      render: (_: unknown, s) => <LastRun run={s.lastRun} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, s) => <SourceActions source={s} compact onEdit={() => editing.show(s)} />,
    },
  ];

  return (
    <>
      <PageTitle
        title={t('catalog.harvest.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => editing.show()}>
            {t('catalog.harvest.create')}
          </Button>
        }
      />
      <Typography.Paragraph>{t('catalog.harvest.intro')}</Typography.Paragraph>
      <ErrorAlert error={sources.error} />
      <Table<HarvestSourceDto>
        rowKey="id"
        columns={columns}
        dataSource={sources.data ?? []}
        loading={sources.isPending}
        scroll={{ x: 'max-content' }}
        size="middle"
        pagination={false}
        locale={{ emptyText: t('catalog.harvest.empty') }}
      />
      <SourceFormModal
        key={editing.key}
        open={editing.open}
        source={editing.value}
        onClose={editing.hide}
        onSaved={(_source, created) => {
          editing.hide();
          message.success(created ? t('catalog.harvest.created') : t('catalog.harvest.saved'));
        }}
      />
    </>
  );
}
