import { Descriptions, type DescriptionsProps, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DatasetDto } from '../../../../contracts/catalog.ts';
import { useLicenses } from '../api.ts';
import { formatDate, formatDateTime, nameOf } from '../text.ts';
import { datasetPath } from './ResultItem.tsx';
import { OpenTag, OverdueTag, ShareTag } from './tags.tsx';

const searchLink = (key: string, value: string) => `/data/search?${new URLSearchParams({ [key]: value })}`;

/** Every metadata field of a resource, labelled, in the interface language. */
export function DatasetMetadata({ dataset: d }: { dataset: DatasetDto }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const licenses = useLicenses();
  const license = licenses.data?.find((l) => l.id === d.licenseId);
  const none = '—';
  const item = (key: string, children: React.ReactNode, span?: number) => ({
    key,
    label: t(`catalog.fields.${key}`),
    children,
    span,
  });
  const items: DescriptionsProps['items'] = [
    item('resourceCode', <code>{d.resourceCode}</code>),
    item(
      'department',
      <Link to={`/data/departments/${encodeURIComponent(d.department.code)}`}>
        {nameOf(d.department, lang)}
      </Link>,
    ),
    item(
      'theme',
      d.theme ? (
        <Link to={`/data/themes/${encodeURIComponent(d.theme.id)}`}>{nameOf(d.theme, lang)}</Link>
      ) : (
        none
      ),
    ),
    item('catalogKind', t(`catalog.enums.catalogKind.${d.catalogKind}`)),
    item('formatClass', t(`catalog.enums.formatClass.${d.formatClass}`)),
    item('sensitivity', t(`catalog.enums.sensitivity.${d.sensitivity}`)),
    item(
      'keywords',
      d.keywords.length ? (
        <Space size={[4, 4]} wrap>
          {d.keywords.map((k) => (
            <Link key={k} to={searchLink('tags', k)}>
              <Tag>{k}</Tag>
            </Link>
          ))}
        </Space>
      ) : (
        none
      ),
      2,
    ),
    item(
      'shareType',
      <>
        <ShareTag value={d.shareType} />
        {d.shareCondition && (
          <div>
            {t('catalog.fields.shareCondition')}: {d.shareCondition}
          </div>
        )}
        {d.shareLegalBasis && (
          <div>
            {t('catalog.fields.shareLegalBasis')}: {d.shareLegalBasis}
          </div>
        )}
      </>,
    ),
    item(
      'openType',
      <>
        <OpenTag value={d.openType} />
        {d.openCondition && (
          <div>
            {t('catalog.fields.openCondition')}: {d.openCondition}
          </div>
        )}
      </>,
    ),
    item('updateCycle', t(`catalog.enums.updateCycle.${d.updateCycle}`)),
    item(
      'freshness',
      <>
        <OverdueTag overdue={d.overdue} />
        {d.nextUpdateDue
          ? t(d.overdue ? 'catalog.dataset.dueSince' : 'catalog.dataset.nextDue', {
              date: formatDate(d.nextUpdateDue, lang),
            })
          : d.overdue
            ? null
            : t('catalog.dataset.noSchedule')}
      </>,
    ),
    item(
      'licenseId',
      license ? (
        license.url ? (
          <a href={license.url} rel="license noopener noreferrer" target="_blank">
            {license.title}
          </a>
        ) : (
          license.title
        )
      ) : (
        (d.licenseId ?? none)
      ),
    ),
    item(
      'temporal',
      d.temporalStart || d.temporalEnd
        ? t('catalog.dataset.range', { from: d.temporalStart ?? '…', to: d.temporalEnd ?? '…' })
        : none,
    ),
    item('spatialCodes', d.spatialCodes.length ? d.spatialCodes.join(t('catalog.listSeparator')) : none),
    item(
      'contact',
      d.contact ? (
        <span>
          {d.contact.name}
          {d.contact.email && (
            <>
              {' · '}
              <a href={`mailto:${d.contact.email}`}>{d.contact.email}</a>
            </>
          )}
          {d.contact.phone && ` · ${d.contact.phone}`}
        </span>
      ) : (
        none
      ),
    ),
    item('publishedAt', formatDate(d.publishedAt, lang)),
    item('modifiedAt', formatDateTime(d.modifiedAt, lang)),
    item('version', String(d.version)),
    item('downloadCount', String(d.downloadCount)),
    item(
      'related',
      d.related.length ? (
        <Space size={[8, 4]} wrap>
          {d.related.map((name) => (
            <Link key={name} to={datasetPath(name)}>
              {name}
            </Link>
          ))}
        </Space>
      ) : (
        none
      ),
      2,
    ),
    ...Object.entries(d.extras).map(([k, v]) => ({ key: `extra-${k}`, label: k, children: v })),
  ];
  return <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} items={items} />;
}

/** The columns of a resource (数据项): name, type and description. */
export function DataItemsTable({ dataset }: { dataset: DatasetDto }) {
  const { t } = useTranslation();
  if (dataset.dataItems.length === 0)
    return <Typography.Text type="secondary">{t('catalog.dataset.noItems')}</Typography.Text>;
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="catalog-diff">
        <caption className="visually-hidden">{t('catalog.dataset.dataItems')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('catalog.form.itemName')}</th>
            <th scope="col">{t('catalog.form.itemType')}</th>
            <th scope="col">{t('catalog.form.itemDescription')}</th>
          </tr>
        </thead>
        <tbody>
          {dataset.dataItems.map((it) => (
            <tr key={it.name}>
              <td>
                <code>{it.name}</code>
              </td>
              <td>{t(`catalog.enums.dataItemType.${it.type}`)}</td>
              <td>{it.description || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
