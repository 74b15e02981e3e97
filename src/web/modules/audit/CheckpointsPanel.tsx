import { Collapse, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CheckpointDto } from '../../../contracts/audit.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { AUDIT_KEY_URL, useAuditKey, useCheckpoints } from './api.ts';

/**
 * The latest signed checkpoints and the key that signs them: what an outside auditor needs to check
 * an exported log independently of this server.
 */
export function CheckpointsPanel() {
  const { t } = useTranslation();
  const checkpoints = useCheckpoints();
  const key = useAuditKey();
  const columns: TableColumnsType<CheckpointDto> = [
    { title: t('audit.checkpoints.upTo'), dataIndex: 'seq', key: 'seq', width: 110 },
    {
      title: t('audit.checkpoints.signedAt'),
      dataIndex: 'at',
      key: 'at',
      render: (v: string) => new Date(v).toLocaleString(),
    },
    {
      title: t('audit.checkpoints.keyId'),
      dataIndex: 'keyId',
      key: 'keyId',
      render: (v: string) => <code>{v}</code>,
    },
    {
      title: t('audit.hash'),
      dataIndex: 'hash',
      key: 'hash',
      render: (v: string) => <code title={v}>{v.slice(0, 16)}…</code>,
    },
  ];
  return (
    <Collapse
      style={{ marginBottom: 16 }}
      items={[
        {
          key: 'checkpoints',
          label: t('audit.checkpoints.title'),
          children: (
            <>
              <Typography.Paragraph>{t('audit.checkpoints.intro')}</Typography.Paragraph>
              {key.data && (
                <Typography.Paragraph>
                  {t('audit.checkpoints.keyId')}: <code>{key.data.keyId}</code> ·{' '}
                  <a href={AUDIT_KEY_URL}>{t('audit.checkpoints.publicKey')}</a>
                </Typography.Paragraph>
              )}
              {checkpoints.error ? <ErrorAlert error={checkpoints.error} /> : null}
              <Table
                size="small"
                rowKey="seq"
                columns={columns}
                dataSource={checkpoints.data?.items ?? []}
                loading={checkpoints.isPending}
                pagination={false}
                locale={{ emptyText: t('audit.checkpoints.none') }}
              />
            </>
          ),
        },
      ]}
    />
  );
}
