import { App, Breadcrumb, Button, Card, Descriptions, Popconfirm, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { AccessRequest } from '../../../../contracts/exchange.ts';
import { ApiError } from '../../../app/api.ts';
import { useMe } from '../../../app/auth.ts';
import { useErrorText } from '../../../app/errors.ts';
import { ButtonLink } from '../../../ui/ButtonLink.tsx';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { NotFoundPage } from '../../../ui/NotFoundPage.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useDialog } from '../../../ui/useDialog.ts';
import { formatDateTime, titleOf } from '../../catalog/text.ts';
import { useDepartments } from '../../identity/api.ts';
import { useAccessRequest, useSharedResource, useWithdraw } from '../api.ts';
import { DecisionDialog } from '../components/DecisionDialog.tsx';
import { useDepartmentName } from '../components/departments.ts';
import { HistoryTimeline } from '../components/HistoryTimeline.tsx';
import { OverdueTag, RequestStateTag } from '../components/tags.tsx';
import { type ColumnLabels, columnName, type GrantedScope, grantedScope, isNarrowed } from '../display.ts';
import { requestActions } from '../permissions.ts';
import '../../catalog/catalog.css';

/** Column → value pairs as text, or "none". */
export function FilterText({ filter }: { filter: Record<string, string> }) {
  const { t } = useTranslation();
  const entries = Object.entries(filter);
  if (entries.length === 0) return <>{t('exchange.request.noFilter')}</>;
  return (
    <Space size={4} wrap>
      {entries.map(([k, v]) => (
        <Tag key={k}>
          <code>{k}</code> = {v}
        </Tag>
      ))}
    </Space>
  );
}

/** Columns as tags, named in the UI language (the id shows on hover). */
export function FieldList({
  fields,
  labels,
}: {
  fields: string[];
  labels: readonly ColumnLabels[] | undefined;
}) {
  const { t, i18n } = useTranslation();
  if (fields.length === 0) return <>{t('exchange.grant.none')}</>;
  return (
    <Space size={4} wrap>
      {fields.map((f) => (
        <Tag key={f} title={f}>
          {columnName(f, labels, i18n.language)}
        </Tag>
      ))}
    </Space>
  );
}

/** What a grant lets through — columns, columns in clear, row filter — as description items. */
export function grantScopeItems(
  t: (key: string) => string,
  scope: { fields: string[]; clearFields: string[]; rowFilter: Record<string, string> },
  labels: readonly ColumnLabels[] | undefined,
) {
  return [
    {
      key: 'fields',
      label: t('exchange.grant.fields'),
      span: 2,
      children: <FieldList fields={scope.fields} labels={labels} />,
    },
    {
      key: 'clear',
      label: t('exchange.grant.clearFields'),
      span: 2,
      children: <FieldList fields={scope.clearFields} labels={labels} />,
    },
    {
      key: 'filter',
      label: t('exchange.grant.rowFilter'),
      span: 2,
      children: <FilterText filter={scope.rowFilter} />,
    },
  ];
}

function Details({ r }: { r: AccessRequest }) {
  const { t, i18n } = useTranslation();
  const departmentName = useDepartmentName();
  const yesNo = (v: boolean) => (v ? t('exchange.request.yes') : t('exchange.request.no'));
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      items={[
        { key: 'owner', label: t('exchange.requests.owner'), children: departmentName(r.ownerDepartmentId) },
        {
          key: 'requester',
          label: t('exchange.requests.requester'),
          children: departmentName(r.requesterDepartmentId),
        },
        {
          key: 'purpose',
          label: t('exchange.request.purpose'),
          span: 2,
          children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.purpose}</span>,
        },
        {
          key: 'legal',
          label: t('exchange.request.legalBasis'),
          span: 2,
          children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.legalBasis}</span>,
        },
        {
          key: 'fields',
          label: t('exchange.request.fields'),
          span: 2,
          children: <FieldList fields={r.fields} labels={r.columnLabels} />,
        },
        {
          key: 'filter',
          label: t('exchange.request.rowFilter'),
          span: 2,
          children: <FilterText filter={r.rowFilter} />,
        },
        {
          key: 'duration',
          label: t('exchange.request.durationLabel'),
          children: t('exchange.request.duration', { count: r.durationDays }),
        },
        { key: 'calls', label: t('exchange.request.expectedCalls'), children: r.expectedCallsPerDay ?? '—' },
        { key: 'system', label: t('exchange.request.systemName'), children: r.systemName },
        {
          key: 'delivery',
          label: t('exchange.request.delivery'),
          children: t(`exchange.enums.delivery.${r.delivery}`),
        },
        { key: 'confidential', label: t('exchange.request.confidential'), children: yesNo(r.confidential) },
        { key: 'by', label: t('exchange.request.requestedBy'), children: r.requestedBy },
        {
          key: 'created',
          label: t('exchange.requests.createdAt'),
          children: formatDateTime(r.createdAt, i18n.language),
        },
        { key: 'due', label: t('exchange.requests.due'), children: formatDateTime(r.dueAt, i18n.language) },
        ...(r.decidedAt
          ? [
              {
                key: 'decidedBy',
                label: t('exchange.request.decidedBy'),
                children: r.autoApproved ? t('exchange.request.autoApproved') : (r.decidedBy ?? '—'),
              },
              {
                key: 'decidedAt',
                label: t('exchange.request.decidedAt'),
                children: formatDateTime(r.decidedAt, i18n.language),
              },
            ]
          : []),
        ...(r.decisionReason
          ? [{ key: 'reason', label: t('exchange.request.reason'), span: 2, children: r.decisionReason }]
          : []),
      ]}
    />
  );
}

/** What the approval granted, beside what was asked, with the way to the grant. */
function Granted({ r, scope }: { r: AccessRequest; scope: GrantedScope }) {
  const { t } = useTranslation();
  const yesNo = (v: boolean) => (v ? t('exchange.request.yes') : t('exchange.request.no'));
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, md: 2 }}
      items={[
        ...grantScopeItems(t, scope, r.columnLabels),
        {
          key: 'duration',
          label: t('exchange.request.durationLabel'),
          children: t('exchange.request.duration', { count: scope.durationDays }),
        },
        {
          key: 'rate',
          label: t('exchange.grant.rateLimit'),
          children: t('exchange.grant.perMinute', { count: scope.rateLimitPerMinute }),
        },
        {
          key: 'confidential',
          label: t('exchange.request.confidential'),
          children: yesNo(scope.confidential),
        },
        ...(r.grantId
          ? [
              {
                key: 'grant',
                label: t('exchange.request.grant'),
                children: (
                  <Link to={`/console/exchange/grants/${r.grantId}`}>{t('exchange.request.openGrant')}</Link>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

function Loaded({ r }: { r: AccessRequest }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { data: me } = useMe();
  const departments = useDepartments();
  const allowed = me
    ? requestActions(me.person, r, departments.data ?? [])
    : { decide: false, withdraw: false };
  // The dictionary says which granted columns are personal (only needed by the owner deciding).
  const resource = useSharedResource(allowed.decide ? r.datasetId : undefined);
  const columns = resource.data?.tables.find((x) => x.distributionId === r.distributionId)?.columns ?? [];
  const deciding = useDialog();
  const withdraw = useWithdraw(r.id);
  const title = titleOf(r, i18n.language);
  const granted = r.state === 'approved' ? grantedScope(r.history) : undefined;
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/console/exchange/requests">{t('exchange.request.crumb')}</Link> },
          { key: 'this', title },
        ]}
      />
      <PageTitle title={t('exchange.request.title', { title })} />
      <Space wrap style={{ marginBottom: 16 }}>
        <RequestStateTag state={r.state} />
        <OverdueTag overdue={r.overdue} />
        {r.autoApproved && <Tag>{t('exchange.request.autoApproved')}</Tag>}
        {allowed.decide && (
          <Button type="primary" onClick={() => deciding.show()} disabled={resource.isPending}>
            {t('exchange.request.decide')}
          </Button>
        )}
        {allowed.withdraw && (
          <Popconfirm
            title={t('exchange.request.withdrawConfirm')}
            okText={t('exchange.request.withdraw')}
            cancelText={t('common.cancel')}
            onConfirm={async () => {
              try {
                await withdraw.mutateAsync();
                message.success(t('exchange.request.withdrawn'));
              } catch (err) {
                message.error(errorText(err));
              }
            }}
          >
            <Button danger loading={withdraw.isPending}>
              {t('exchange.request.withdraw')}
            </Button>
          </Popconfirm>
        )}
        {r.grantId && (
          <ButtonLink to={`/console/exchange/grants/${r.grantId}`}>
            {t('exchange.request.openGrant')}
          </ButtonLink>
        )}
      </Space>
      <Card
        title={<h2 className="card-heading">{t('exchange.request.summary')}</h2>}
        style={{ marginBottom: 16 }}
      >
        <Details r={r} />
      </Card>
      {granted && (
        <Card
          title={
            <h2 className="card-heading">
              {t('exchange.request.grantedSummary')}{' '}
              {isNarrowed(r, granted) && <Tag color="warning">{t('exchange.request.narrowed')}</Tag>}
            </h2>
          }
          style={{ marginBottom: 16 }}
        >
          <Granted r={r} scope={granted} />
        </Card>
      )}
      <Card title={<h2 className="card-heading">{t('exchange.history.title')}</h2>}>
        <HistoryTimeline entries={r.history} />
      </Card>
      {allowed.decide && (
        <DecisionDialog
          key={deciding.key}
          request={r}
          columns={columns}
          open={deciding.open}
          onClose={deciding.hide}
        />
      )}
    </>
  );
}

/** /console/exchange/requests/:id: one request with its history, and the decision or withdrawal. */
export default function RequestPage() {
  const { id } = useParams();
  const request = useAccessRequest(id);
  if (request.isPending) return <Loading />;
  if (request.error) {
    const status = request.error instanceof ApiError ? request.error.status : 0;
    return status === 404 || status === 403 ? <NotFoundPage /> : <ErrorAlert error={request.error} />;
  }
  return <Loaded r={request.data} />;
}
