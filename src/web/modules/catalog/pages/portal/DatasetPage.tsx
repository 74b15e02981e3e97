import { FormOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Collapse, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../../../app/api.ts';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../../ui/Loading.tsx';
import { NotFoundPage } from '../../../../ui/NotFoundPage.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useDialog } from '../../../../ui/useDialog.ts';
import { DatastorePreviews } from '../../../datastore/components/DatastorePreviews.tsx';
import { useDataset } from '../../api.ts';
import { ApiExamples } from '../../components/ApiExamples.tsx';
import { DataRequestForm } from '../../components/DataRequestForm.tsx';
import { DataItemsTable, DatasetMetadata } from '../../components/DatasetMetadata.tsx';
import { DistributionTable } from '../../components/DistributionTable.tsx';
import { HistoryList } from '../../components/HistoryList.tsx';
import { OpenTag, OverdueTag, QualityTag, ShareTag, StatusTag } from '../../components/tags.tsx';
import { nameOf, pickLang, titleOf } from '../../text.ts';
import '../../catalog.css';

/** A section of the dataset page: a real heading, so screen-reader users can jump between them. */
function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} style={{ marginTop: 32 }}>
      <Typography.Title level={2} id={id} style={{ fontSize: 19 }}>
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

/** /data/dataset/:name (and /dataset/:name, whose RDF the server negotiates): one resource in full. */
export default function DatasetPage() {
  const { t, i18n } = useTranslation();
  const { name = '' } = useParams();
  const dataset = useDataset(name);
  const requesting = useDialog();

  if (dataset.isPending) return <Loading />;
  if (dataset.error) {
    const status = dataset.error instanceof ApiError ? dataset.error.status : 0;
    if (status === 404 || status === 403 || status === 401) return <NotFoundPage />;
    return <ErrorAlert error={dataset.error} />;
  }
  const d = dataset.data;
  const title = titleOf(d, i18n.language);
  const description = pickLang(d.descriptionZh, d.descriptionEn, i18n.language);
  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'portal', title: <Link to="/data">{t('catalog.portal.title')}</Link> },
          {
            key: 'dept',
            title: (
              <Link to={`/data/departments/${encodeURIComponent(d.department.code)}`}>
                {nameOf(d.department, i18n.language)}
              </Link>
            ),
          },
          { key: 'this', title },
        ]}
      />
      <PageTitle
        title={title}
        extra={
          <Button icon={<FormOutlined aria-hidden />} onClick={() => requesting.show()}>
            {t('catalog.request.forDataset')}
          </Button>
        }
      />
      <Space size={[4, 4]} wrap style={{ marginBottom: 12 }}>
        {d.status !== 'published' && <StatusTag status={d.status} />}
        <OpenTag value={d.openType} />
        <ShareTag value={d.shareType} />
        <OverdueTag overdue={d.overdue} />
        <QualityTag score={d.qualityScore} />
      </Space>
      {description ? (
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', maxWidth: 860 }}>
          {description}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph type="secondary">{t('catalog.dataset.noDescription')}</Typography.Paragraph>
      )}

      <Section id="ds-distributions" title={t('catalog.dataset.distributions')}>
        <DistributionTable distributions={d.distributions} />
      </Section>
      <DatastorePreviews dataset={d} />
      <Section id="ds-metadata" title={t('catalog.dataset.metadata')}>
        <DatasetMetadata dataset={d} />
      </Section>
      <Section id="ds-items" title={t('catalog.dataset.dataItems')}>
        <DataItemsTable dataset={d} />
      </Section>
      <Section id="ds-api" title={t('catalog.api.title')}>
        <ApiExamples dataset={d} />
      </Section>
      <Section id="ds-history" title={t('catalog.history.title')}>
        <Collapse
          items={[
            {
              key: 'history',
              label: t('catalog.history.show', { count: d.version }),
              children: <HistoryList datasetRef={d.name} />,
            },
          ]}
        />
      </Section>

      <Modal
        key={requesting.key}
        open={requesting.open}
        title={t('catalog.request.forDataset')}
        onCancel={requesting.hide}
        footer={null}
        destroyOnHidden
      >
        <DataRequestForm datasetName={d.name} datasetTitle={title} />
      </Modal>
    </>
  );
}
