import { Alert, Breadcrumb, Result, Space, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import type { AccessRequest } from '../../../../contracts/exchange.ts';
import { useMe } from '../../../app/auth.ts';
import { ButtonLink } from '../../../ui/ButtonLink.tsx';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { formatDateTime, titleOf } from '../../catalog/text.ts';
import { useDepartments } from '../../identity/api.ts';
import { useCreateRequest, useExchangeSettings, useSharedResource } from '../api.ts';
import { RequestForm } from '../components/RequestForm.tsx';
import { requesterDepartments } from '../permissions.ts';
import {
  DEFAULT_DURATION_DAYS,
  type RequestFormValues,
  refusedMaxDays,
  toCreateRequest,
} from '../request-form.ts';

/** What became of a submitted request: granted at once, or waiting for the owner until its due date. */
function Outcome({ request }: { request: AccessRequest }) {
  const { t, i18n } = useTranslation();
  const granted = request.state === 'approved';
  const pending = request.state === 'pending';
  return (
    <Result
      status={granted ? 'success' : pending ? 'info' : 'warning'}
      title={
        <span role="status">
          {granted
            ? t('exchange.form.grantedTitle')
            : pending
              ? t('exchange.form.pendingTitle')
              : t('exchange.form.refusedTitle')}
        </span>
      }
      subTitle={
        granted
          ? t('exchange.form.grantedText')
          : pending
            ? t('exchange.form.pendingText', { due: formatDateTime(request.dueAt, i18n.language) })
            : request.decisionReason
      }
      extra={
        <Space wrap>
          <ButtonLink to={`/console/exchange/requests/${request.id}`}>
            {t('exchange.form.viewRequest')}
          </ButtonLink>
          {request.grantId && (
            <ButtonLink type="primary" to={`/console/exchange/grants/${request.grantId}`}>
              {t('exchange.form.viewGrant')}
            </ButtonLink>
          )}
        </Space>
      }
    />
  );
}

/** /console/exchange/resources/:id/request: a department asks for one of the resource's tables. */
export default function RequestAccessPage() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const departments = useDepartments();
  const resource = useSharedResource(id);
  const create = useCreateRequest();
  const settings = useExchangeSettings();
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<AccessRequest>();
  const requesterIds = useMemo(
    () =>
      me && resource.data
        ? requesterDepartments(me.person, departments.data ?? [], resource.data.departmentId)
        : [],
    [me, departments.data, resource.data],
  );
  if (resource.isPending || departments.isPending || settings.isPending) return <Loading />;
  if (resource.error) return <ErrorAlert error={resource.error} />;
  const r = resource.data;
  const title = titleOf(r, i18n.language);
  const submit = async (values: RequestFormValues) => {
    setError(undefined);
    const table = r.tables.find((x) => x.distributionId === values.distributionId);
    try {
      setCreated(await create.mutateAsync(toCreateRequest(values, table?.columns ?? [])));
    } catch (err) {
      // A duration too long is said beside the field, with the platform's limit.
      if (refusedMaxDays(err) === undefined) setError(err);
      throw err;
    }
  };
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/console/exchange">{t('exchange.resource.back')}</Link> },
          { key: 'resource', title: <Link to={`/console/exchange/resources/${r.datasetId}`}>{title}</Link> },
        ]}
      />
      <PageTitle title={t('exchange.form.title', { title })} />
      {created ? (
        <Outcome request={created} />
      ) : requesterIds.length === 0 ? (
        <Alert type="warning" showIcon title={t('exchange.form.noRequesterDepartment')} />
      ) : r.tables.length === 0 ? (
        <Alert type="info" showIcon title={t('exchange.resource.noTables')} />
      ) : (
        <>
          <Typography.Paragraph>{t('exchange.form.intro')}</Typography.Paragraph>
          <ErrorAlert error={error} />
          <RequestForm
            resource={r}
            distributionId={params.get('distributionId') ?? undefined}
            requesterIds={requesterIds}
            maxDays={settings.data?.maxGrantDays ?? DEFAULT_DURATION_DAYS}
            busy={create.isPending}
            onSubmit={submit}
          />
        </>
      )}
    </>
  );
}
