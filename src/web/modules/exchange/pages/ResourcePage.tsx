import { Alert, Breadcrumb, Card, Descriptions, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { SharedResource } from '../../../../contracts/exchange.ts';
import { ApiError } from '../../../app/api.ts';
import { useMe } from '../../../app/auth.ts';
import { ButtonLink } from '../../../ui/ButtonLink.tsx';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { NotFoundPage } from '../../../ui/NotFoundPage.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { ShareTag } from '../../catalog/components/tags.tsx';
import { nameOf, titleOf } from '../../catalog/text.ts';
import { useDepartments } from '../../identity/api.ts';
import { useSharedResource } from '../api.ts';
import { SensitivityTag } from '../components/tags.tsx';
import { UsageFigures } from '../components/UsageFigures.tsx';
import '../../catalog/catalog.css';
import { requesterDepartments } from '../permissions.ts';

type SharedTable = SharedResource['tables'][number];

function TableColumns({ table }: { table: SharedTable }) {
  const { t, i18n } = useTranslation();
  return (
    <Table
      rowKey="id"
      size="small"
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={table.columns}
      columns={[
        {
          title: t('exchange.resource.columnId'),
          dataIndex: 'id',
          key: 'id',
          render: (v: string) => <code>{v}</code>,
        },
        {
          title: t('exchange.resource.columnLabel'),
          key: 'label',
          render: (_: unknown, c) => (i18n.language === 'en' && c.labelEn) || c.label,
        },
        {
          title: t('exchange.resource.columnType'),
          dataIndex: 'type',
          key: 'type',
          render: (v: string) => t(`datastore.enums.type.${v}`, { defaultValue: v }),
        },
        {
          title: t('exchange.resource.sensitivity'),
          dataIndex: 'sensitivity',
          key: 'sensitivity',
          render: (v: string) => <SensitivityTag value={v} />,
        },
      ]}
    />
  );
}

/** /console/exchange/resources/:id: one shared resource, its tables and figures, and the way to ask for it. */
export default function ResourcePage() {
  const { id } = useParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const departments = useDepartments();
  const resource = useSharedResource(id);
  if (resource.isPending) return <Loading />;
  if (resource.error) {
    const status = resource.error instanceof ApiError ? resource.error.status : 0;
    return status === 404 || status === 403 ? <NotFoundPage /> : <ErrorAlert error={resource.error} />;
  }
  const r = resource.data;
  const title = titleOf(r, i18n.language);
  const canAsk = !!me && requesterDepartments(me.person, departments.data ?? [], r.departmentId).length > 0;
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/console/exchange">{t('exchange.resource.back')}</Link> },
          { key: 'this', title },
        ]}
      />
      <PageTitle title={title} />
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 24 }}
        items={[
          {
            key: 'owner',
            label: t('exchange.resources.owner'),
            children: nameOf({ nameZh: r.departmentNameZh, nameEn: r.departmentNameEn }, i18n.language),
          },
          {
            key: 'share',
            label: t('exchange.resources.shareType'),
            children: <ShareTag value={r.shareType} />,
          },
          {
            key: 'condition',
            label: t('exchange.resource.shareCondition'),
            span: 2,
            children: r.shareCondition || t('exchange.resource.noCondition'),
          },
          {
            key: 'cycle',
            label: t('exchange.resources.updateCycle'),
            children: t(`catalog.enums.updateCycle.${r.updateCycle}`, { defaultValue: r.updateCycle }),
          },
          { key: 'name', label: 'URL', children: <code>{r.name}</code> },
        ]}
      />
      <Card
        title={<h2 className="card-heading">{t('exchange.usage.title')}</h2>}
        extra={t('exchange.usage.period', { days: 30 })}
        style={{ marginBottom: 24 }}
      >
        <UsageFigures figures={r.usage} />
      </Card>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('exchange.resource.dataItems')}
      </Typography.Title>
      <Table
        rowKey="name"
        size="small"
        pagination={false}
        style={{ marginBottom: 24 }}
        dataSource={r.dataItems}
        columns={[
          { title: t('exchange.resource.itemName'), dataIndex: 'name', key: 'name' },
          {
            title: t('exchange.resource.itemType'),
            dataIndex: 'type',
            key: 'type',
            render: (v: string) => t(`catalog.enums.dataItemType.${v}`, { defaultValue: v }),
          },
          { title: t('exchange.resource.itemDescription'), dataIndex: 'description', key: 'description' },
        ]}
      />
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('exchange.resource.tables')}
      </Typography.Title>
      {r.tables.length === 0 && <Alert type="info" showIcon title={t('exchange.resource.noTables')} />}
      {!canAsk && r.tables.length > 0 && (
        <Alert
          type="info"
          showIcon
          title={t('exchange.resource.notRequester')}
          style={{ marginBottom: 16 }}
        />
      )}
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        {r.tables.map((table) => (
          <Card
            key={table.distributionId}
            title={<h3 className="card-heading">{table.name}</h3>}
            extra={
              <Space wrap>
                <span>{t('exchange.resource.rowCount', { count: table.rowCount })}</span>
                {canAsk && (
                  <ButtonLink
                    type="primary"
                    to={`/console/exchange/resources/${r.datasetId}/request?distributionId=${table.distributionId}`}
                    aria-label={t('exchange.resource.requestAccessFor', { name: table.name })}
                  >
                    {t('exchange.resource.requestAccess')}
                  </ButtonLink>
                )}
              </Space>
            }
          >
            <TableColumns table={table} />
          </Card>
        ))}
      </Space>
    </>
  );
}
