import { DownloadOutlined, ExportOutlined } from '@ant-design/icons';
import { Button, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { DistributionDto } from '../../../../contracts/catalog.ts';
import { formatBytes } from '../text.ts';
import { downloadPath } from './ApiExamples.tsx';

/**
 * The files, links and APIs of a resource with format, size and download counts. Every download
 * goes through the platform's counted address; `actions` adds per-row buttons (the console's remove).
 */
export function DistributionTable({
  distributions,
  actions,
}: {
  distributions: DistributionDto[];
  actions?: (d: DistributionDto) => ReactNode;
}) {
  const { t } = useTranslation();
  const columns: TableColumnsType<DistributionDto> = [
    {
      title: t('catalog.files.name'),
      key: 'name',
      render: (_: unknown, d) => (
        <>
          <div>{d.name}</div>
          {d.description && (
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {d.description}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('catalog.files.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (k: DistributionDto['kind']) => t(`catalog.enums.distributionKind.${k}`),
    },
    {
      title: t('catalog.files.format'),
      dataIndex: 'format',
      key: 'format',
      render: (f: string) => (f ? <Tag>{f}</Tag> : '—'),
    },
    {
      title: t('catalog.files.size'),
      dataIndex: 'sizeBytes',
      key: 'size',
      render: (n: number | null) => formatBytes(n),
    },
    { title: t('catalog.files.downloads'), dataIndex: 'downloadCount', key: 'downloads' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, d) => (
        <div className="catalog-actions">
          {d.kind === 'file' ? (
            <Button
              type="primary"
              size="small"
              href={downloadPath(d.id)}
              icon={<DownloadOutlined aria-hidden />}
              aria-label={t('catalog.files.downloadName', { name: d.name })}
            >
              {t('catalog.files.download')}
            </Button>
          ) : (
            <Button
              size="small"
              href={downloadPath(d.id)}
              icon={<ExportOutlined aria-hidden />}
              aria-label={t('catalog.files.openName', { name: d.name })}
              rel="noopener noreferrer"
            >
              {t('catalog.files.open')}
            </Button>
          )}
          {actions?.(d)}
        </div>
      ),
    },
  ];
  return (
    <Table<DistributionDto>
      rowKey="id"
      columns={columns}
      dataSource={distributions}
      pagination={false}
      size="small"
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('catalog.files.none') }}
    />
  );
}
