import { Input, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SharedResource } from '../../../../contracts/exchange.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useSearchParamState } from '../../../ui/useSearchParamState.ts';
import { ShareTag } from '../../catalog/components/tags.tsx';
import { nameOf, titleOf } from '../../catalog/text.ts';
import { DepartmentSelect } from '../../identity/components/DepartmentSelect.tsx';
import { useSharedResources } from '../api.ts';
import { EmptyText } from '../components/EmptyText.tsx';

const PAGE_SIZE = 20;
const SHARE_TYPES = ['unconditional', 'conditional'] as const;

/** /console/exchange: the internal catalog of shared resources, with search, filters and paging. */
export default function ResourcesPage() {
  const { t, i18n } = useTranslation();
  const { params, update } = useSearchParamState();
  const q = params.get('q') ?? undefined;
  const departmentId = params.get('departmentId') ?? undefined;
  const shareType = (params.get('shareType') ?? undefined) as (typeof SHARE_TYPES)[number] | undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const resources = useSharedResources({ q, departmentId, shareType, page, pageSize: PAGE_SIZE });

  /** Changes one filter and goes back to the first page. */
  const setFilter = (key: string, value: string | undefined) => update({ [key]: value, page: undefined });

  const columns: TableColumnsType<SharedResource> = [
    {
      title: t('exchange.grants.resource'),
      key: 'title',
      render: (_: unknown, r) => (
        <Link
          to={`/console/exchange/resources/${r.datasetId}`}
          aria-label={t('exchange.resources.openFor', { title: titleOf(r, i18n.language) })}
        >
          {titleOf(r, i18n.language)}
        </Link>
      ),
    },
    {
      title: t('exchange.resources.owner'),
      key: 'owner',
      render: (_: unknown, r) =>
        nameOf({ nameZh: r.departmentNameZh, nameEn: r.departmentNameEn }, i18n.language),
    },
    {
      title: t('exchange.resources.shareType'),
      key: 'shareType',
      render: (_: unknown, r) => <ShareTag value={r.shareType} />,
    },
    {
      title: t('exchange.resources.updateCycle'),
      key: 'updateCycle',
      render: (_: unknown, r) =>
        t(`catalog.enums.updateCycle.${r.updateCycle}`, { defaultValue: r.updateCycle }),
    },
    { title: t('exchange.resources.tables'), key: 'tables', render: (_: unknown, r) => r.tables.length },
    {
      title: t('exchange.resources.calls'),
      key: 'calls',
      align: 'right',
      render: (_: unknown, r) => r.usage.calls.toLocaleString(i18n.language),
    },
  ];

  return (
    <>
      <PageTitle title={t('exchange.resources.title')} />
      <Typography.Paragraph>{t('exchange.resources.intro')}</Typography.Paragraph>
      <search aria-label={t('exchange.resources.filters')}>
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('exchange.resources.search')}
            placeholder={t('exchange.resources.searchPlaceholder')}
            defaultValue={q}
            allowClear
            maxLength={200}
            onSearch={(v) => setFilter('q', v.trim() || undefined)}
            style={{ width: 280 }}
          />
          <DepartmentSelect
            aria-label={t('exchange.resources.owner')}
            placeholder={t('exchange.resources.allOwners')}
            allowClear
            value={departmentId}
            onChange={(v) => setFilter('departmentId', v)}
            style={{ width: 240 }}
          />
          <Select
            aria-label={t('exchange.resources.shareType')}
            placeholder={t('exchange.resources.allShareTypes')}
            allowClear
            value={shareType}
            onChange={(v: string | undefined) => setFilter('shareType', v)}
            style={{ width: 200 }}
            options={SHARE_TYPES.map((s) => ({ value: s, label: t(`catalog.enums.shareType.${s}`) }))}
          />
        </Space>
      </search>
      <ErrorAlert error={resources.error} />
      <Table<SharedResource>
        rowKey="datasetId"
        columns={columns}
        dataSource={resources.data?.items ?? []}
        loading={resources.isFetching}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: <EmptyText>{t('exchange.resources.empty')}</EmptyText> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: resources.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (p) => update({ page: String(p) }),
        }}
      />
    </>
  );
}
