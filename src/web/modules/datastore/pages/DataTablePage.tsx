import { Alert, Breadcrumb, Col, Descriptions, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../app/api.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { NotFoundPage } from '../../../ui/NotFoundPage.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useDataset } from '../../catalog/api.ts';
import { titleOf } from '../../catalog/text.ts';
import { useDatastoreInfo } from '../api.ts';
import { DictionaryEditor } from '../components/DictionaryEditor.tsx';
import { DownloadButtons } from '../components/DownloadButtons.tsx';
import { ReloadForm, UploadLoadForm } from '../components/LoadForms.tsx';
import { LoadPanel } from '../components/LoadPanel.tsx';
import { QualityCard } from '../components/QualityReport.tsx';
import { VersionsList } from '../components/VersionsList.tsx';
import '../../catalog/catalog.css';
import '../datastore.css';

/**
 * /console/catalog/:datasetId/data/:distributionId: a file's data table for its stewards — status,
 * the last load live, its report, new loads, the data dictionary, quality and rules, and the versions.
 */
export default function DataTablePage() {
  const { t, i18n } = useTranslation();
  const { datasetId = '', distributionId = '' } = useParams();
  const dataset = useDataset(datasetId);
  const info = useDatastoreInfo(distributionId);

  if (dataset.isPending || info.isPending) return <Loading />;
  const error = dataset.error ?? info.error;
  if (error) {
    const status = error instanceof ApiError ? error.status : 0;
    return status === 404 || status === 403 ? <NotFoundPage /> : <ErrorAlert error={error} />;
  }
  if (!dataset.data || !info.data) return <Loading />;
  const distribution = dataset.data.distributions.find((d) => d.id === distributionId);
  if (!distribution) return <NotFoundPage />;
  const table = info.data;
  const datasetTitle = titleOf(dataset.data, i18n.language);
  const title = t('datastore.console.title', { name: distribution.name });
  const sheets = table.lastLoad?.report?.sheets ?? [];
  const loaded = table.currentVersion !== null;
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'list', title: <Link to="/console/catalog">{t('catalog.console.title')}</Link> },
          {
            key: 'dataset',
            title: <Link to={`/console/catalog/${dataset.data.id}?tab=distributions`}>{datasetTitle}</Link>,
          },
          { key: 'this', title: distribution.name },
        ]}
      />
      <PageTitle title={title} />
      {!table.canEdit && (
        <Alert type="info" showIcon title={t('datastore.console.readOnly')} style={{ marginBottom: 16 }} />
      )}
      <section aria-label={t('datastore.console.summary')} style={{ marginBottom: 16 }}>
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, md: 2, xl: 4 }}
          items={[
            { key: 'rows', label: t('datastore.common.rows'), children: table.rows.toLocaleString() },
            {
              key: 'version',
              label: t('datastore.common.currentVersion'),
              children: table.currentVersion ?? t('datastore.common.noVersion'),
            },
            { key: 'columns', label: t('datastore.common.columns'), children: table.columns.length },
            {
              key: 'key',
              label: t('datastore.common.key'),
              children: table.key.length
                ? table.key.join(t('common.listSeparator'))
                : t('datastore.common.none'),
            },
          ]}
        />
        {loaded && (
          <div style={{ marginTop: 12 }}>
            <DownloadButtons distributionId={distributionId} name={distribution.name} />
          </div>
        )}
      </section>
      <LoadPanel distributionId={distributionId} lastLoad={table.lastLoad} canEdit={table.canEdit} />
      {loaded && (
        <DictionaryEditor distributionId={distributionId} columns={table.columns} editable={table.canEdit} />
      )}
      {loaded && <QualityCard distributionId={distributionId} />}
      {table.canEdit && (
        <Row gutter={16}>
          <Col xs={24} xl={12}>
            <UploadLoadForm distributionId={distributionId} columns={table.columns} sheets={sheets} />
          </Col>
          <Col xs={24} xl={12}>
            <ReloadForm distributionId={distributionId} columns={table.columns} sheets={sheets} />
          </Col>
        </Row>
      )}
      <VersionsList
        distributionId={distributionId}
        versions={table.versions}
        currentVersion={table.currentVersion}
      />
    </>
  );
}
