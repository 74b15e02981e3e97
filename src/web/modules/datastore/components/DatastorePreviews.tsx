import { useQueries } from '@tanstack/react-query';
import { Alert, Tabs, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetDto, DistributionDto } from '../../../../contracts/catalog.ts';
import type { DatastoreInfo } from '../../../../contracts/datastore.ts';
import { Loading } from '../../../ui/Loading.tsx';
import { datastoreInfoQuery } from '../api.ts';
import { isTabular } from '../query.ts';
import { ApiSnippets } from './ApiSnippets.tsx';
import { DownloadButtons } from './DownloadButtons.tsx';
import { PreviewTable } from './PreviewTable.tsx';
import { QualityReport } from './QualityReport.tsx';
import '../datastore.css';

// ECharts is large: it is fetched only when someone opens a chart tab.
const QuickChart = lazy(() => import('./QuickChart.tsx'));

/** One file's table on the portal: preview, chart, quality, API examples and downloads, as tabs. */
function TablePreview({ file, info }: { file: DistributionDto; info: DatastoreInfo }) {
  const { t } = useTranslation();
  const headingId = `ds-table-${file.id}`;
  return (
    <section aria-labelledby={headingId} style={{ marginBottom: 24 }}>
      <Typography.Title level={3} id={headingId} style={{ fontSize: 16 }}>
        {t('datastore.portal.tableOf', { name: file.name })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('datastore.portal.rowsColumns', {
          rows: info.rows.toLocaleString(),
          columns: info.columns.length,
        })}
      </Typography.Paragraph>
      {info.masked && (
        <Alert type="info" showIcon title={t('datastore.portal.masked')} style={{ marginBottom: 12 }} />
      )}
      <Tabs
        items={[
          {
            key: 'table',
            label: t('datastore.portal.tabTable'),
            children: <PreviewTable distributionId={file.id} name={file.name} columns={info.columns} />,
          },
          {
            key: 'chart',
            label: t('datastore.portal.tabChart'),
            children: (
              <Suspense fallback={<Loading />}>
                <QuickChart distributionId={file.id} columns={info.columns} />
              </Suspense>
            ),
          },
          {
            key: 'quality',
            label: t('datastore.portal.tabQuality'),
            children: <QualityReport distributionId={file.id} level={4} />,
          },
          {
            key: 'api',
            label: t('datastore.portal.tabApi'),
            children: <ApiSnippets distributionId={file.id} />,
          },
          {
            key: 'download',
            label: t('datastore.portal.tabDownload'),
            children: (
              <>
                <Typography.Paragraph>{t('datastore.portal.downloadIntro')}</Typography.Paragraph>
                <DownloadButtons distributionId={file.id} name={file.name} />
              </>
            ),
          },
        ]}
      />
    </section>
  );
}

/**
 * The dataset page's data preview: every tabular file that has a loaded table. Nothing is shown
 * while no file has one (the heading would announce an empty section).
 */
export function DatastorePreviews({ dataset }: { dataset: DatasetDto }) {
  const { t } = useTranslation();
  const files = dataset.distributions.filter(isTabular);
  const infos = useQueries({ queries: files.map((f) => datastoreInfoQuery(f.id)) });
  const loaded = files.flatMap((file, i) => {
    const info = infos[i]?.data;
    return info && info.currentVersion !== null ? [{ file, info }] : [];
  });
  if (loaded.length === 0) return null;
  return (
    <section aria-labelledby="ds-data-preview" style={{ marginTop: 32 }}>
      <Typography.Title level={2} id="ds-data-preview" style={{ fontSize: 19 }}>
        {t('datastore.portal.title')}
      </Typography.Title>
      <Typography.Paragraph>{t('datastore.portal.intro')}</Typography.Paragraph>
      {loaded.map(({ file, info }) => (
        <TablePreview key={file.id} file={file} info={info} />
      ))}
    </section>
  );
}
