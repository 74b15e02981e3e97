import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { formatBytes, formatDateTime } from '../../catalog/text.ts';
import { type Extract, extractDownloadUrl, useCreateExtract, useExtracts } from '../api.ts';
import { EmptyText } from './EmptyText.tsx';
import { ExtractStateTag } from './tags.tsx';

/** File extracts of a grant: ask for one (csv/json), follow its state, download it when ready and until it expires. */
export function ExtractsPanel({ grantId, editable }: { grantId: string; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const list = useExtracts(grantId);
  const create = useCreateExtract(grantId);
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  return (
    <>
      <Typography.Paragraph>{t('exchange.extracts.intro')}</Typography.Paragraph>
      {editable && (
        <Space wrap style={{ marginBottom: 16 }}>
          <Select
            aria-label={t('exchange.extracts.format')}
            value={format}
            onChange={setFormat}
            style={{ width: 120 }}
            options={[
              { value: 'csv', label: 'CSV' },
              { value: 'json', label: 'JSON' },
            ]}
          />
          <Button
            loading={create.isPending}
            onClick={async () => {
              try {
                await create.mutateAsync(format);
              } catch (err) {
                message.error(errorText(err));
              }
            }}
          >
            {t('exchange.extracts.request')}
          </Button>
        </Space>
      )}
      <ErrorAlert error={list.error} />
      <Table<Extract>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={list.data ?? []}
        locale={{ emptyText: <EmptyText>{t('exchange.extracts.empty')}</EmptyText> }}
        columns={[
          {
            title: t('exchange.extracts.createdAt'),
            dataIndex: 'createdAt',
            key: 'created',
            render: (v: string) => formatDateTime(v, i18n.language),
          },
          {
            title: t('exchange.extracts.format'),
            dataIndex: 'format',
            key: 'format',
            render: (v: string) => v.toUpperCase(),
          },
          {
            title: t('common.status'),
            key: 'state',
            render: (_: unknown, e) => (
              <Space size={4} wrap>
                <ExtractStateTag state={e.state} />
                {e.error && <Typography.Text type="danger">{e.error}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('exchange.extracts.rows'),
            dataIndex: 'rowCount',
            key: 'rows',
            render: (v: number | null) => v ?? '—',
          },
          {
            title: t('exchange.extracts.size'),
            dataIndex: 'sizeBytes',
            key: 'size',
            render: (v: number | null) => formatBytes(v),
          },
          {
            title: t('exchange.extracts.finishedAt'),
            dataIndex: 'finishedAt',
            key: 'finished',
            render: (v: string | null) => formatDateTime(v, i18n.language),
          },
          {
            title: t('exchange.extracts.expiresAt'),
            dataIndex: 'expiresAt',
            key: 'expires',
            render: (v: string | null | undefined, e) =>
              e.state === 'expired' ? (
                <Typography.Text type="secondary">{t('exchange.extracts.expired')}</Typography.Text>
              ) : (
                formatDateTime(v, i18n.language)
              ),
          },
          {
            title: t('common.actions'),
            key: 'download',
            render: (_: unknown, e) =>
              e.state === 'ready' && editable ? (
                <Button
                  size="small"
                  href={extractDownloadUrl(e.id)}
                  icon={<DownloadOutlined aria-hidden />}
                  aria-label={t('exchange.extracts.downloadFor', {
                    format: e.format.toUpperCase(),
                    at: formatDateTime(e.createdAt, i18n.language),
                  })}
                >
                  {t('exchange.extracts.download')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
