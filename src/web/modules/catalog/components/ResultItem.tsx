import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DatasetSummaryDto, SearchResultDto } from '../../../../contracts/catalog.ts';
import { formatDate, nameOf, pickLang, titleOf } from '../text.ts';
import { Highlighted } from './Highlighted.tsx';
import { OpenTag, OverdueTag, QualityTag, StatusTag } from './tags.tsx';

type Result = SearchResultDto['results'][number];

/** The portal address of a resource. */
export const datasetPath = (name: string) => `/data/dataset/${encodeURIComponent(name)}`;

/** One resource in a result list: title and abstract with the matches marked, provider, formats, dates. */
export function ResultItem({
  item,
  showStatus = false,
}: {
  item: Result | DatasetSummaryDto;
  showStatus?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const highlight = 'highlight' in item ? item.highlight : undefined;
  // The highlighted text of the language shown; the other language's when this one is empty.
  const titleSegments = highlight && (en && item.titleEn ? highlight.titleEn : highlight.title);
  const descriptionShown = pickLang(item.descriptionZh, item.descriptionEn, i18n.language);
  const descriptionSegments =
    highlight && (en && item.descriptionEn ? highlight.descriptionEn : highlight.description);
  return (
    <article className="catalog-result">
      <Typography.Title level={3} style={{ fontSize: 17, margin: '0 0 4px' }}>
        <Link to={datasetPath(item.name)}>
          <Highlighted segments={titleSegments} fallback={titleOf(item, i18n.language)} />
        </Link>
      </Typography.Title>
      <div className="catalog-result-meta">
        <span>{nameOf(item.department, i18n.language)}</span>
        {item.theme && <span>{nameOf(item.theme, i18n.language)}</span>}
        <span>{t('catalog.search.modified', { date: formatDate(item.modifiedAt, i18n.language) })}</span>
        <span>{t('catalog.search.downloads', { count: item.downloadCount })}</span>
      </div>
      {descriptionShown && (
        <p className="catalog-result-description">
          <Highlighted segments={descriptionSegments} fallback={descriptionShown} />
        </p>
      )}
      <div>
        {showStatus && <StatusTag status={item.status} />}
        <OpenTag value={item.openType} />
        {item.formats.map((f) => (
          <Tag key={f}>{f}</Tag>
        ))}
        <OverdueTag overdue={item.overdue} />
        <QualityTag score={item.qualityScore} />
      </div>
    </article>
  );
}
