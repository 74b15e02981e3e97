import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Space, Table, type TableColumnsType, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { VersionDto } from '../../../../contracts/datastore.ts';
import { dumpPath } from '../api.ts';
import { type TypeChange, typeChangeText } from '../load-report.ts';
import { useCaption } from './caption.tsx';

const VERSION_FORMATS = ['csv', 'xlsx'] as const;

/** The row counts a version's summary holds (added/removed/changed against the previous one). */
function summaryText(summary: Record<string, unknown>, t: TFunction) {
  const parts = (['added', 'removed', 'changed'] as const).flatMap((k) =>
    typeof summary[k] === 'number' ? [t(`datastore.report.${k}`, { count: summary[k] })] : [],
  );
  const widened = Array.isArray(summary.typeChanges) ? (summary.typeChanges as TypeChange[]) : [];
  for (const change of widened) parts.push(typeChangeText(t, change));
  return parts.length ? parts.join(t('common.listSeparator')) : '—';
}

/** Every version of a table, newest first, with CSV and XLSX downloads of the kept ones. */
export function VersionsList({
  distributionId,
  versions,
  currentVersion,
}: {
  distributionId: string;
  versions: VersionDto[];
  currentVersion: number | null;
}) {
  const { t, i18n } = useTranslation();
  const caption = useCaption<VersionDto>(t('datastore.versions.caption'));
  const columns: TableColumnsType<VersionDto> = [
    {
      title: t('datastore.versions.version'),
      dataIndex: 'version',
      key: 'version',
      render: (v: number) => (
        <>
          {v}
          {v === currentVersion && (
            <Tag color="success" style={{ marginLeft: 6 }}>
              {t('datastore.versions.current')}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: t('datastore.versions.mode'),
      dataIndex: 'mode',
      key: 'mode',
      render: (m: string) => t(`datastore.enums.mode.${m}`, { defaultValue: m }),
    },
    {
      title: t('datastore.versions.rows'),
      dataIndex: 'rows',
      key: 'rows',
      align: 'right',
      render: (n: number) => n.toLocaleString(),
    },
    {
      title: t('datastore.versions.source'),
      dataIndex: 'sourceName',
      key: 'source',
      render: (s: string | null) => s ?? '—',
    },
    {
      title: t('datastore.versions.summary'),
      key: 'summary',
      render: (_: unknown, v) => summaryText(v.summary, t),
    },
    { title: t('datastore.versions.actor'), dataIndex: 'actor', key: 'actor' },
    {
      title: t('datastore.versions.createdAt'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (iso: string) => new Date(iso).toLocaleString(i18n.language),
    },
    {
      title: t('common.actions'),
      key: 'downloads',
      render: (_: unknown, v) =>
        v.kept ? (
          <Space size={4} wrap>
            {VERSION_FORMATS.map((f) => (
              <Button
                key={f}
                size="small"
                href={dumpPath(distributionId, f, v.version)}
                icon={<DownloadOutlined aria-hidden />}
                aria-label={t('datastore.common.downloadVersionAs', {
                  version: v.version,
                  format: f.toUpperCase(),
                })}
              >
                {f.toUpperCase()}
              </Button>
            ))}
          </Space>
        ) : (
          <Tag>{t('datastore.versions.dropped')}</Tag>
        ),
    },
  ];
  return (
    <Card
      title={<h2 className="card-heading">{t('datastore.versions.title')}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Table<VersionDto>
        rowKey="version"
        size="small"
        columns={columns}
        dataSource={[...versions].sort((a, b) => b.version - a.version)}
        components={caption}
        pagination={versions.length > 10 ? { pageSize: 10 } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <span className="datastore-empty">{t('datastore.versions.none')}</span> }}
      />
    </Card>
  );
}
