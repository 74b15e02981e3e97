import { TableOutlined } from '@ant-design/icons';
import { Card, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DatasetDto, DistributionDto } from '../../../../contracts/catalog.ts';
import { ButtonLink } from '../../../ui/ButtonLink.tsx';
import { isActive, useDatastoreInfo } from '../api.ts';
import { isTabular } from '../query.ts';
import { useCaption } from './caption.tsx';

/** Where a distribution's data table is managed in the console. */
export const dataTablePath = (datasetId: string, distributionId: string) =>
  `/console/catalog/${datasetId}/data/${distributionId}`;

/** A file's table in a few words: rows and version, or the state of its running or failed load. */
function TableState({ distributionId }: { distributionId: string }) {
  const { t } = useTranslation();
  const info = useDatastoreInfo(distributionId, { poll: true });
  if (!info.data) return <>{info.isPending ? t('common.loading') : '—'}</>;
  const { lastLoad, currentVersion, rows } = info.data;
  return (
    <>
      {currentVersion !== null
        ? t('datastore.panel.loaded', { rows: rows.toLocaleString(), version: currentVersion })
        : t('datastore.common.noVersion')}
      {lastLoad && (isActive(lastLoad) || lastLoad.status === 'failed') && (
        <Tag color={lastLoad.status === 'failed' ? 'error' : 'processing'} style={{ marginLeft: 8 }}>
          {t(`datastore.enums.status.${lastLoad.status}`)}
        </Tag>
      )}
    </>
  );
}

/** The console's list of a resource's tabular files, each with its table's state and a link to manage it. */
export function DataTablesPanel({ dataset }: { dataset: DatasetDto }) {
  const { t } = useTranslation();
  const caption = useCaption<DistributionDto>(t('datastore.panel.caption'));
  const files = dataset.distributions.filter(isTabular);
  const columns: TableColumnsType<DistributionDto> = [
    { title: t('datastore.panel.file'), dataIndex: 'name', key: 'name' },
    {
      title: t('catalog.files.format'),
      dataIndex: 'format',
      key: 'format',
      render: (f: string) => <Tag>{f}</Tag>,
    },
    {
      title: t('datastore.panel.state'),
      key: 'state',
      render: (_: unknown, d) => <TableState distributionId={d.id} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, d) => (
        <ButtonLink
          size="small"
          to={dataTablePath(dataset.id, d.id)}
          icon={<TableOutlined aria-hidden />}
          aria-label={t('datastore.panel.openName', { name: d.name })}
        >
          {t('datastore.panel.open')}
        </ButtonLink>
      ),
    },
  ];
  return (
    <Card title={<h2 className="card-heading">{t('datastore.panel.title')}</h2>} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t('datastore.panel.intro')}</Typography.Paragraph>
      <Table<DistributionDto>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={files}
        components={caption}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <span className="datastore-empty">{t('datastore.panel.none')}</span> }}
      />
    </Card>
  );
}
