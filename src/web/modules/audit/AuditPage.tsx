import { Button, Descriptions, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryDto } from '../../../contracts/identity.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { VisuallyHidden } from '../../ui/VisuallyHidden.tsx';
import { useDepartments } from '../identity/api.ts';
import { departmentName } from '../identity/department-tree.ts';
import { AuditFilters } from './AuditFilters.tsx';
import { type AuditFilter, actionKey, useAuditEntries } from './api.ts';
import { CheckpointsPanel } from './CheckpointsPanel.tsx';
import { VerifyPanel } from './VerifyPanel.tsx';

/** An entry's details, IP, request id and full hash: what an investigation needs. */
function EntryDetails({ entry }: { entry: AuditEntryDto }) {
  const { t } = useTranslation();
  return (
    <Descriptions column={1} size="small" bordered>
      <Descriptions.Item label={t('audit.details')}>
        <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
          {JSON.stringify(entry.details, null, 2)}
        </pre>
      </Descriptions.Item>
      <Descriptions.Item label={t('audit.ip')}>{entry.ip ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('audit.requestId')}>{entry.requestId ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('audit.hash')}>
        <code style={{ wordBreak: 'break-all' }}>{entry.hash}</code>
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The tamper-evident audit trail: filter, read page by page, and verify its integrity. */
export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>({});
  const entries = useAuditEntries(filter);
  const departments = useDepartments();
  const items = useMemo(() => entries.data?.pages.flatMap((p) => p.items) ?? [], [entries.data]);
  const deptById = useMemo(() => new Map((departments.data ?? []).map((d) => [d.id, d])), [departments.data]);

  const columns: TableColumnsType<AuditEntryDto> = [
    { title: t('audit.seq'), dataIndex: 'seq', key: 'seq', width: 80 },
    {
      title: t('audit.time'),
      dataIndex: 'at',
      key: 'at',
      render: (v: string) => new Date(v).toLocaleString(),
    },
    { title: t('audit.actor'), dataIndex: 'actorLabel', key: 'actor' },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      key: 'action',
      render: (action: string) => (
        <>
          <div>{t(actionKey(action), { defaultValue: action })}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <code>{action}</code>
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('audit.target'),
      key: 'target',
      render: (_: unknown, e) =>
        e.targetId ? (
          <span>
            {e.targetType
              ? `${t(`audit.targetTypes.${e.targetType}`, { defaultValue: e.targetType })}: `
              : ''}
            <code style={{ wordBreak: 'break-all' }}>{e.targetId}</code>
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('fields.department'),
      dataIndex: 'departmentId',
      key: 'department',
      render: (id: string | null) => {
        if (!id) return '—';
        const d = deptById.get(id);
        return d ? departmentName(d, i18n.language) : <code>{id}</code>;
      },
    },
    {
      title: t('audit.hash'),
      dataIndex: 'hash',
      key: 'hash',
      render: (hash: string) => (
        // The full hash is in the expanded row; the prefix is enough to compare entries by eye.
        <code title={hash}>{hash.slice(0, 12)}…</code>
      ),
    },
  ];

  return (
    <>
      <PageTitle title={t('audit.title')} />
      <Typography.Paragraph>{t('audit.intro')}</Typography.Paragraph>
      <VerifyPanel />
      <CheckpointsPanel />
      <AuditFilters onChange={setFilter} />
      <ErrorAlert error={entries.error} />
      <Table<AuditEntryDto>
        rowKey="seq"
        columns={columns}
        dataSource={items}
        loading={entries.isPending}
        pagination={false}
        size="middle"
        scroll={{ x: 'max-content' }}
        expandable={{
          columnTitle: <VisuallyHidden>{t('audit.details')}</VisuallyHidden>,
          expandedRowRender: (entry) => <EntryDetails entry={entry} />,
        }}
      />
      <div style={{ textAlign: 'center', marginTop: 16 }} aria-live="polite">
        {entries.hasNextPage ? (
          <Button onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
            {t('audit.loadMore')}
          </Button>
        ) : (
          items.length > 0 && (
            <Typography.Text type="secondary">{t('audit.end', { count: items.length })}</Typography.Text>
          )
        )}
      </div>
    </>
  );
}
