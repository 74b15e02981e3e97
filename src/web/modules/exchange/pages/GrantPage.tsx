import { Alert, Breadcrumb, Card, Descriptions, Space, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { Grant } from '../../../../contracts/exchange.ts';
import { ApiError } from '../../../app/api.ts';
import { useMe } from '../../../app/auth.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { NotFoundPage } from '../../../ui/NotFoundPage.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { formatDateTime, titleOf } from '../../catalog/text.ts';
import { useDepartments } from '../../identity/api.ts';
import { useGrant } from '../api.ts';
import { CredentialPanel } from '../components/CredentialPanel.tsx';
import { useDepartmentName } from '../components/departments.ts';
import { ExtractsPanel } from '../components/ExtractsPanel.tsx';
import { GrantActions } from '../components/GrantActions.tsx';
import { HistoryTimeline } from '../components/HistoryTimeline.tsx';
import { SubscriptionsPanel } from '../components/SubscriptionsPanel.tsx';
import { GrantStateTag } from '../components/tags.tsx';
import { grantActions } from '../permissions.ts';
import { grantScopeItems } from './RequestPage.tsx';
import '../../catalog/catalog.css';

function Scope({ g }: { g: Grant }) {
  const { t, i18n } = useTranslation();
  const departmentName = useDepartmentName();
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      items={[
        { key: 'owner', label: t('exchange.grants.owner'), children: departmentName(g.ownerDepartmentId) },
        {
          key: 'grantee',
          label: t('exchange.grants.grantee'),
          children: departmentName(g.granteeDepartmentId),
        },
        { key: 'system', label: t('exchange.grant.systemName'), children: g.systemName },
        {
          key: 'delivery',
          label: t('exchange.request.delivery'),
          children: t(`exchange.enums.delivery.${g.delivery}`),
        },
        { key: 'purpose', label: t('exchange.request.purpose'), span: 2, children: g.purpose },
        { key: 'legal', label: t('exchange.request.legalBasis'), span: 2, children: g.legalBasis },
        ...grantScopeItems(t, g, g.columnLabels),
        {
          key: 'rate',
          label: t('exchange.grant.rateLimit'),
          children: t('exchange.grant.perMinute', { count: g.rateLimitPerMinute }),
        },
        {
          key: 'expires',
          label: t('exchange.grant.expiresAt'),
          children: formatDateTime(g.expiresAt, i18n.language),
        },
        {
          key: 'confidential',
          label: t('exchange.request.confidential'),
          children: g.confidential ? t('exchange.request.yes') : t('exchange.request.no'),
        },
        {
          key: 'request',
          label: t('exchange.grant.request'),
          children: (
            <Link to={`/console/exchange/requests/${g.requestId}`}>{t('exchange.grant.openRequest')}</Link>
          ),
        },
        ...(g.stateReason
          ? [{ key: 'reason', label: t('exchange.grant.stateReason'), span: 2, children: g.stateReason }]
          : []),
      ]}
    />
  );
}

function Loaded({ g }: { g: Grant }) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const departments = useDepartments();
  const [params, setParams] = useSearchParams();
  const allowed = grantActions(me!.person, g, departments.data ?? []);
  const title = titleOf(g, i18n.language);
  const heading = (text: string) => <h2 className="card-heading">{text}</h2>;
  const tabs = [
    { key: 'scope', label: t('exchange.grant.scope'), children: <Scope g={g} /> },
    ...(allowed.manageDelivery
      ? [
          {
            key: 'credential',
            label: t('exchange.grant.credential'),
            children: (
              <>
                {!allowed.use && (
                  <Alert
                    type="warning"
                    showIcon
                    title={t('exchange.grant.notUsable')}
                    style={{ marginBottom: 16 }}
                  />
                )}
                <CredentialPanel grant={g} canIssue={allowed.use} />
              </>
            ),
          },
          {
            key: 'subscriptions',
            label: t('exchange.subscriptions.title'),
            children: <SubscriptionsPanel grantId={g.id} editable={allowed.use} />,
          },
          {
            key: 'extracts',
            label: t('exchange.extracts.title'),
            children: <ExtractsPanel grantId={g.id} editable={allowed.use} />,
          },
        ]
      : []),
    { key: 'history', label: t('exchange.grant.history'), children: <HistoryTimeline entries={g.history} /> },
  ];
  const tab = tabs.some((x) => x.key === params.get('tab')) ? params.get('tab')! : 'scope';
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/console/exchange/grants">{t('exchange.grant.crumb')}</Link> },
          { key: 'this', title },
        ]}
      />
      <PageTitle title={t('exchange.grant.title', { title })} />
      <Space wrap style={{ marginBottom: 16 }}>
        <GrantStateTag state={g.state} />
        <span>
          {t('exchange.grant.expiresAt')}: {formatDateTime(g.expiresAt, i18n.language)}
        </span>
      </Space>
      {(allowed.renew || allowed.suspend || allowed.resume || allowed.revoke) && (
        <Card title={heading(t('exchange.actions.title'))} style={{ marginBottom: 16 }}>
          <GrantActions grant={g} allowed={allowed} />
        </Card>
      )}
      <Tabs activeKey={tab} onChange={(key) => setParams({ tab: key }, { replace: true })} items={tabs} />
    </>
  );
}

/** /console/exchange/grants/:id: scope, state and history; the grantee's credential and deliveries; the owner's controls. */
export default function GrantPage() {
  const { id } = useParams();
  const grant = useGrant(id);
  const { data: me } = useMe();
  if (grant.isPending || !me) return <Loading />;
  if (grant.error) {
    const status = grant.error instanceof ApiError ? grant.error.status : 0;
    return status === 404 || status === 403 ? <NotFoundPage /> : <ErrorAlert error={grant.error} />;
  }
  return <Loaded g={grant.data} />;
}
