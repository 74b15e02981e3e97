import { Card, Col, Row, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { DatasetSummaryDto, PortalOverviewDto } from '../../../../../contracts/catalog.ts';

type FacetCountDto = PortalOverviewDto['byTheme'][number];

import { ButtonLink } from '../../../../ui/ButtonLink.tsx';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../../ui/Loading.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { usePortalOverview } from '../../api.ts';
import { datasetPath } from '../../components/ResultItem.tsx';
import { SearchBox } from '../../components/SearchBox.tsx';
import { facetLabel, formatDate, nameOf, titleOf } from '../../text.ts';
import '../../catalog.css';

/** Counts by theme or department, each linking to its page. */
function FacetLinks({ counts, path }: { counts: FacetCountDto[]; path: string }) {
  const { t, i18n } = useTranslation();
  return (
    <ul className="catalog-link-list">
      {counts.map((f) => (
        <li key={f.value}>
          <Link to={`${path}/${encodeURIComponent(f.value)}`}>{facetLabel(f, i18n.language)}</Link>
          <span className="secondary">{t('catalog.portal.count', { count: f.count })}</span>
        </li>
      ))}
    </ul>
  );
}

function DatasetLinks({
  items,
  figure,
}: {
  items: DatasetSummaryDto[];
  figure: (d: DatasetSummaryDto) => string;
}) {
  const { t, i18n } = useTranslation();
  if (items.length === 0)
    return <Typography.Text type="secondary">{t('catalog.portal.empty')}</Typography.Text>;
  return (
    <ul className="catalog-link-list">
      {items.map((d) => (
        <li key={d.id}>
          <span>
            <Link to={datasetPath(d.name)}>{titleOf(d, i18n.language)}</Link>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 13 }}>
              {nameOf(d.department, i18n.language)}
            </Typography.Text>
          </span>
          <span className="secondary">{figure(d)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The open-data portal's front door: one big search box, then the catalog by theme and department. */
export default function PortalHomePage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const overview = usePortalOverview();
  const data = overview.data;
  return (
    <>
      <PageTitle title={t('catalog.portal.title')} />
      <div className="catalog-hero">
        <Typography.Paragraph style={{ fontSize: 16 }}>{t('catalog.portal.intro')}</Typography.Paragraph>
        <SearchBox
          value=""
          size="large"
          onSearch={(q) => navigate(`/data/search${q ? `?q=${encodeURIComponent(q)}` : ''}`)}
        />
        <Space wrap style={{ marginTop: 12 }}>
          <ButtonLink to="/data/search">{t('catalog.portal.browseAll')}</ButtonLink>
          <ButtonLink to="/data/request">{t('catalog.request.title')}</ButtonLink>
          <ButtonLink to="/data/requests">{t('catalog.track.title')}</ButtonLink>
        </Space>
      </div>
      <ErrorAlert error={overview.error} />
      {overview.isPending && <Loading />}
      {data && (
        <>
          <Statistic title={t('catalog.portal.total')} value={data.total} style={{ margin: '24px 0' }} />
          <Row gutter={[24, 24]}>
            <Col xs={24} lg={12}>
              <Card title={<h2 className="card-heading">{t('catalog.portal.byTheme')}</h2>}>
                <FacetLinks counts={data.byTheme} path="/data/themes" />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={<h2 className="card-heading">{t('catalog.portal.byDepartment')}</h2>}>
                <FacetLinks counts={data.byDepartment} path="/data/departments" />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={<h2 className="card-heading">{t('catalog.portal.newest')}</h2>}>
                <DatasetLinks
                  items={data.newest}
                  figure={(d) => formatDate(d.publishedAt ?? d.modifiedAt, i18n.language)}
                />
              </Card>
            </Col>
            <Col xs={24} lg={12}>
              <Card title={<h2 className="card-heading">{t('catalog.portal.mostUsed')}</h2>}>
                <DatasetLinks
                  items={data.mostUsed}
                  figure={(d) => t('catalog.search.downloads', { count: d.downloadCount })}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </>
  );
}
