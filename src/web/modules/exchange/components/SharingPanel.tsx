import { Alert, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from '../../../ui/ButtonLink.tsx';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { useUsage } from '../api.ts';
import { useDepartmentName } from './departments.ts';
import { EmptyText } from './EmptyText.tsx';
import { formatMs, UsageFigures } from './UsageFigures.tsx';

/** The catalog's "Sharing" tab: a resource's exchange figures, in total and per requesting department. */
export function SharingPanel({ datasetId, shared }: { datasetId: string; shared: boolean }) {
  const { t, i18n } = useTranslation();
  const usage = useUsage({ datasetId, days: 30 }, shared);
  const departmentName = useDepartmentName();
  if (!shared) return <Alert type="info" showIcon title={t('exchange.sharing.notShared')} />;
  if (usage.isPending) return <Loading />;
  if (usage.error) return <ErrorAlert error={usage.error} />;
  const number = (n: number) => n.toLocaleString(i18n.language);
  return (
    <>
      <Typography.Paragraph>
        {t('exchange.sharing.intro')} {t('exchange.usage.period', { days: usage.data.days })}
      </Typography.Paragraph>
      <UsageFigures figures={usage.data.total} />
      <Typography.Title level={2} style={{ fontSize: 17, marginTop: 24 }}>
        {t('exchange.usage.byDepartment')}
      </Typography.Title>
      <Table
        rowKey="departmentId"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={usage.data.byDepartment}
        locale={{ emptyText: <EmptyText>{t('exchange.usage.empty')}</EmptyText> }}
        columns={[
          {
            title: t('exchange.usage.department'),
            key: 'd',
            render: (_: unknown, r) => departmentName(r.departmentId),
          },
          {
            title: t('exchange.usage.calls'),
            key: 'c',
            align: 'right',
            render: (_: unknown, r) => number(r.calls),
          },
          {
            title: t('exchange.usage.rows'),
            key: 'r',
            align: 'right',
            render: (_: unknown, r) => number(r.rows),
          },
          {
            title: t('exchange.usage.failures'),
            key: 'f',
            align: 'right',
            render: (_: unknown, r) => number(r.failures),
          },
          {
            title: t('exchange.usage.p50'),
            key: 'p50',
            align: 'right',
            render: (_: unknown, r) => formatMs(r.p50Ms, t),
          },
          {
            title: t('exchange.usage.p95'),
            key: 'p95',
            align: 'right',
            render: (_: unknown, r) => formatMs(r.p95Ms, t),
          },
          {
            title: t('exchange.usage.activeGrants'),
            key: 'g',
            align: 'right',
            render: (_: unknown, r) => number(r.activeGrants),
          },
        ]}
      />
      <ButtonLink to={`/console/exchange/resources/${datasetId}`} style={{ marginTop: 16 }}>
        {t('exchange.sharing.openResource')}
      </ButtonLink>
    </>
  );
}
