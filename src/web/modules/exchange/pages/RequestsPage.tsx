import { Select, Space, Table, type TableColumnsType, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type AccessRequest, REQUEST_STATES, type RequestState } from '../../../../contracts/exchange.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useSearchParamState } from '../../../ui/useSearchParamState.ts';
import { formatDateTime, titleOf } from '../../catalog/text.ts';
import { useAccessRequests } from '../api.ts';
import { useDepartmentName } from '../components/departments.ts';
import { EmptyText } from '../components/EmptyText.tsx';
import { OverdueTag, RequestStateTag } from '../components/tags.tsx';

const PAGE_SIZE = 20;
const SIDES = ['incoming', 'outgoing'] as const;
type Side = (typeof SIDES)[number];

/** /console/exchange/requests: requests received and sent by the person's departments. */
export default function RequestsPage() {
  const { t, i18n } = useTranslation();
  const { params, update } = useSearchParamState();
  const departmentName = useDepartmentName();
  const side = (params.get('side') === 'outgoing' ? 'outgoing' : 'incoming') as Side;
  const state = (params.get('state') ?? undefined) as RequestState | undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const requests = useAccessRequests({ side, state, page, pageSize: PAGE_SIZE });
  const columns: TableColumnsType<AccessRequest> = [
    {
      title: t('exchange.requests.resource'),
      key: 'title',
      render: (_: unknown, r) => (
        <Link
          to={`/console/exchange/requests/${r.id}`}
          aria-label={t('exchange.requests.openFor', { title: titleOf(r, i18n.language) })}
        >
          {titleOf(r, i18n.language)}
        </Link>
      ),
    },
    side === 'incoming'
      ? {
          title: t('exchange.requests.requester'),
          key: 'dept',
          render: (_: unknown, r) => departmentName(r.requesterDepartmentId),
        }
      : {
          title: t('exchange.requests.owner'),
          key: 'dept',
          render: (_: unknown, r) => departmentName(r.ownerDepartmentId),
        },
    { title: t('exchange.requests.systemName'), dataIndex: 'systemName', key: 'system' },
    {
      title: t('exchange.requests.createdAt'),
      dataIndex: 'createdAt',
      key: 'created',
      render: (v: string) => formatDateTime(v, i18n.language),
    },
    {
      title: t('exchange.requests.state'),
      key: 'state',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <RequestStateTag state={r.state} />
          <OverdueTag overdue={r.overdue} />
        </Space>
      ),
    },
    {
      title: t('exchange.requests.due'),
      key: 'due',
      render: (_: unknown, r) => (r.state === 'pending' ? formatDateTime(r.dueAt, i18n.language) : '—'),
    },
  ];
  const list = (
    <>
      <search aria-label={t('exchange.requests.filters')}>
        <Select<RequestState | undefined>
          aria-label={t('exchange.requests.state')}
          placeholder={t('exchange.requests.allStates')}
          allowClear
          value={state}
          onChange={(v) => update({ state: v, page: undefined })}
          style={{ width: 180, marginBottom: 16 }}
          options={REQUEST_STATES.map((s) => ({ value: s, label: t(`exchange.enums.requestState.${s}`) }))}
        />
      </search>
      <ErrorAlert error={requests.error} />
      <Table<AccessRequest>
        rowKey="id"
        columns={columns}
        dataSource={requests.data?.items ?? []}
        loading={requests.isFetching}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: <EmptyText>{t('exchange.requests.empty')}</EmptyText> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: requests.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (p) => update({ page: String(p) }),
        }}
      />
    </>
  );
  return (
    <>
      <PageTitle title={t('exchange.requests.title')} />
      <Typography.Paragraph>{t('exchange.requests.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={side}
        onChange={(key) => update({ side: key, page: undefined })}
        items={SIDES.map((s) => ({
          key: s,
          label: t(`exchange.enums.side.${s}`),
          // The list is the selected tab's panel: a tab controls what it shows.
          children: s === side ? list : null,
        }))}
      />
    </>
  );
}
