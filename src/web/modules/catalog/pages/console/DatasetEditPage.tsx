import { ExportOutlined } from '@ant-design/icons';
import { Alert, App, Breadcrumb, Space, Tabs, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { DatasetDto } from '../../../../../contracts/catalog.ts';
import { ApiError } from '../../../../app/api.ts';
import { useMe } from '../../../../app/auth.ts';
import { ButtonLink } from '../../../../ui/ButtonLink.tsx';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../../ui/Loading.tsx';
import { NotFoundPage } from '../../../../ui/NotFoundPage.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { DataTablesPanel } from '../../../datastore/components/DataTablesPanel.tsx';
import { SharingPanel } from '../../../exchange/components/SharingPanel.tsx';
import { useDepartments } from '../../../identity/api.ts';
import { useCreateDataset, useDataset, useUpdateDataset } from '../../api.ts';
import { DatasetForm } from '../../components/DatasetForm.tsx';
import { DataItemsTable, DatasetMetadata } from '../../components/DatasetMetadata.tsx';
import { DistributionsEditor } from '../../components/DistributionsEditor.tsx';
import { HistoryList } from '../../components/HistoryList.tsx';
import { LifecycleActions } from '../../components/LifecycleActions.tsx';
import { datasetPath } from '../../components/ResultItem.tsx';
import { OverdueTag, StatusTag } from '../../components/tags.tsx';
import { type DatasetFormValues, toCreateInput, toUpdateInput } from '../../dataset-form.ts';
import { datasetActions, departmentsWithRole } from '../../permissions.ts';
import { pickLang, titleOf } from '../../text.ts';
import '../../catalog.css';

function Crumbs({ title }: { title: string }) {
  const { t } = useTranslation();
  return (
    <Breadcrumb
      style={{ marginBottom: 12 }}
      items={[
        { key: 'list', title: <Link to="/console/catalog">{t('catalog.console.title')}</Link> },
        { key: 'this', title },
      ]}
    />
  );
}

/** The metadata as text, for people who review or oversee rather than edit. */
function ReadOnlyMetadata({ dataset }: { dataset: DatasetDto }) {
  const { t, i18n } = useTranslation();
  const description = pickLang(dataset.descriptionZh, dataset.descriptionEn, i18n.language);
  return (
    <>
      {description && (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{description}</Typography.Paragraph>
      )}
      <DatasetMetadata dataset={dataset} />
      <Typography.Title level={2} style={{ fontSize: 17, marginTop: 24 }}>
        {t('catalog.dataset.dataItems')}
      </Typography.Title>
      <DataItemsTable dataset={dataset} />
    </>
  );
}

/** /console/catalog/new: a steward registers a resource; it starts as a draft. */
function NewDataset() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const departments = useDepartments();
  const create = useCreateDataset();
  const stewardOf = useMemo(
    () => (me ? departmentsWithRole(me.person, ['data_steward'], departments.data ?? []) : []),
    [me, departments.data],
  );
  if (departments.isPending) return <Loading />;
  const save = async (values: DatasetFormValues) => {
    const ds = await create.mutateAsync(toCreateInput(values));
    message.success(t('catalog.console.created'));
    // Files come next: they are added to the saved draft.
    navigate(`/console/catalog/${ds.id}?tab=distributions`);
  };
  return (
    <>
      <Crumbs title={t('catalog.console.newTitle')} />
      <PageTitle title={t('catalog.console.newTitle')} />
      {stewardOf.length === 0 && <Alert type="warning" showIcon title={t('catalog.console.notSteward')} />}
      <DatasetForm
        departments={stewardOf}
        readOnly={stewardOf.length === 0}
        governedLocked={false}
        busy={create.isPending}
        onSave={save}
      />
    </>
  );
}

/** One resource in the console: metadata form, files and links, history, and the lifecycle buttons. */
function ExistingDataset({ dataset }: { dataset: DatasetDto }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const departments = useDepartments();
  const update = useUpdateDataset(dataset.id);
  const [params, setParams] = useSearchParams();
  const allowed = me ? datasetActions(me.person, dataset, departments.data ?? []) : undefined;
  if (!allowed || departments.isPending) return <Loading />;
  const title = titleOf(dataset, i18n.language);
  const save = async (values: DatasetFormValues) => {
    await update.mutateAsync(toUpdateInput(values, { governed: allowed.editGoverned }));
    message.success(t('catalog.console.saved'));
  };
  const tab = params.get('tab') ?? 'metadata';
  return (
    <>
      <Crumbs title={title} />
      <PageTitle
        title={title}
        extra={
          dataset.status === 'published' && (
            <ButtonLink to={datasetPath(dataset.name)} icon={<ExportOutlined aria-hidden />}>
              {t('catalog.console.viewInPortal')}
            </ButtonLink>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <StatusTag status={dataset.status} />
        <OverdueTag overdue={dataset.overdue} />
        <code>{dataset.resourceCode}</code>
      </Space>
      {dataset.reviewNote && (
        <Alert
          type={dataset.status === 'withdrawn' || dataset.status === 'draft' ? 'warning' : 'info'}
          showIcon
          title={t('catalog.console.reviewNote', { note: dataset.reviewNote })}
          style={{ marginBottom: 12 }}
        />
      )}
      <LifecycleActions dataset={dataset} allowed={allowed} />
      <Tabs
        style={{ marginTop: 16 }}
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={[
          {
            key: 'metadata',
            label: t('catalog.console.tabMetadata'),
            // Those who may not edit (reviewers, platform admins, withdrawn resources) read the
            // metadata as text rather than through a greyed-out form.
            children: allowed.edit ? (
              <DatasetForm
                key={dataset.id}
                dataset={dataset}
                departments={[dataset.department.id]}
                readOnly={false}
                governedLocked={!allowed.editGoverned}
                busy={update.isPending}
                onSave={save}
              />
            ) : (
              <ReadOnlyMetadata dataset={dataset} />
            ),
          },
          {
            key: 'distributions',
            label: t('catalog.console.tabDistributions', { count: dataset.distributions.length }),
            children: (
              <>
                <DistributionsEditor dataset={dataset} editable={allowed.edit} />
                <DataTablesPanel dataset={dataset} />
              </>
            ),
          },
          {
            key: 'history',
            label: t('catalog.history.title'),
            children: <HistoryList datasetRef={dataset.id} />,
          },
          // How the exchange uses a published resource: its calls, rows and latency by department.
          ...(dataset.status === 'published'
            ? [
                {
                  key: 'sharing',
                  label: t('exchange.sharing.title'),
                  children: <SharingPanel datasetId={dataset.id} shared={dataset.shareType !== 'none'} />,
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

/** /console/catalog/new and /console/catalog/:id. */
export default function DatasetEditPage() {
  const { id } = useParams();
  const isNew = !id || id === 'new';
  const dataset = useDataset(isNew ? undefined : id);
  if (isNew) return <NewDataset />;
  if (dataset.isPending) return <Loading />;
  if (dataset.error) {
    const status = dataset.error instanceof ApiError ? dataset.error.status : 0;
    return status === 404 || status === 403 ? <NotFoundPage /> : <ErrorAlert error={dataset.error} />;
  }
  return <ExistingDataset dataset={dataset.data} />;
}
