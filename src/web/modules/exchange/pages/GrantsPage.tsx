import { Select, Table, type TableColumnsType, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { GRANT_STATES, type Grant, type GrantState } from '../../../../contracts/exchange.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useSearchParamState } from '../../../ui/useSearchParamState.ts';
import { formatDateTime, titleOf } from '../../catalog/text.ts';
import { useGrants } from '../api.ts';
import { useDepartmentName } from '../components/departments.ts';
import { EmptyText } from '../components/EmptyText.tsx';
import { GrantStateTag } from '../components/tags.tsx';

const PAGE_SIZE = 20;
const SIDES = ['incoming', 'outgoing'] as const;

/** /console/exchange/grants: grants the person's departments gave (incoming requests) or received. */
export default function GrantsPage() {
  const { t, i18n } = useTranslation();
  const { params, update } = useSearchParamState();
  const departmentName = useDepartmentName();
  const side = params.get('side') === 'outgoing' ? 'outgoing' : 'incoming';
  const state = (params.get('state') ?? undefined) as GrantState | undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const grants = useGrants({ side, state, page, pageSize: PAGE_SIZE });
  const columns: TableColumnsType<Grant> = [
    {
      title: t('exchange.grants.resource'),
      key: 'title',
      render: (_: unknown, g) => (
        <Link
          to={`/console/exchange/grants/${g.id}`}
          aria-label={t('exchange.grants.openFor', { title: titleOf(g, i18n.language) })}
        >
          {titleOf(g, i18n.language)}
        </Link>
      ),
    },
    side === 'incoming'
      ? {
          title: t('exchange.grants.grantee'),
          key: 'dept',
          render: (_: unknown, g) => departmentName(g.granteeDepartmentId),
        }
      : {
          title: t('exchange.grants.owner'),
          key: 'dept',
          render: (_: unknown, g) => departmentName(g.ownerDepartmentId),
        },
    { title: t('exchange.requests.systemName'), dataIndex: 'systemName', key: 'system' },
    {
      title: t('exchange.grants.state'),
      key: 'state',
      render: (_: unknown, g) => <GrantStateTag state={g.state} />,
    },
    {
      title: t('exchange.grants.expiresAt'),
      dataIndex: 'expiresAt',
      key: 'expires',
      render: (v: string) => formatDateTime(v, i18n.language),
    },
  ];
  const list = (
    <>
      <search aria-label={t('exchange.grants.filters')}>
        <Select<GrantState | undefined>
          aria-label={t('exchange.grants.state')}
          placeholder={t('exchange.grants.allStates')}
          allowClear
          value={state}
          onChange={(v) => update({ state: v, page: undefined })}
          style={{ width: 180, marginBottom: 16 }}
          options={GRANT_STATES.map((s) => ({ value: s, label: t(`exchange.enums.grantState.${s}`) }))}
        />
      </search>
      <ErrorAlert error={grants.error} />
      <Table<Grant>
        rowKey="id"
        columns={columns}
        dataSource={grants.data?.items ?? []}
        loading={grants.isFetching}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: <EmptyText>{t('exchange.grants.empty')}</EmptyText> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: grants.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (p) => update({ page: String(p) }),
        }}
      />
    </>
  );
  return (
    <>
      <PageTitle title={t('exchange.grants.title')} />
      <Typography.Paragraph>{t('exchange.grants.intro')}</Typography.Paragraph>
      <Tabs
        activeKey={side}
        onChange={(key) => update({ side: key, page: undefined })}
        items={SIDES.map((s) => ({
          key: s,
          label: t(`exchange.enums.grantSide.${s}`),
          // The list is the selected tab's panel: a tab controls what it shows.
          children: s === side ? list : null,
        }))}
      />
    </>
  );
}
