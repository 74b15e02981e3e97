import { Empty, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { VersionDto } from '../../../../contracts/catalog.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { useHistory } from '../api.ts';
import { formatDateTime } from '../text.ts';

// Fields whose stored values are codes: shown by their translation.
const ENUM_FIELDS: Record<string, string> = {
  shareType: 'shareType',
  openType: 'openType',
  updateCycle: 'updateCycle',
  status: 'status',
  catalogKind: 'catalogKind',
  formatClass: 'formatClass',
  sensitivity: 'sensitivity',
};

/** A stored value in words: codes translated, lists joined, objects by their meaningful parts. */
export function diffValue(t: TFunction, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    return value
      .map((v) => {
        if (v && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          // Data items (name, type) and distributions (name, format).
          const extra = o.type
            ? t(`catalog.enums.dataItemType.${String(o.type)}`, { defaultValue: String(o.type) })
            : o.format;
          return extra ? `${String(o.name ?? '')} (${String(extra)})` : String(o.name ?? JSON.stringify(o));
        }
        return String(v);
      })
      .join(t('catalog.listSeparator'));
  }
  const enumKey = ENUM_FIELDS[field];
  if (enumKey) return t(`catalog.enums.${enumKey}.${String(value)}`, { defaultValue: String(value) });
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (field === 'contact') return [o.name, o.email, o.phone].filter(Boolean).join(' · ');
    const entries = Object.entries(o);
    return entries.length
      ? entries.map(([k, v]) => `${k}=${String(v)}`).join(t('catalog.listSeparator'))
      : '—';
  }
  return String(value);
}

function VersionEntry({ v }: { v: VersionDto }) {
  const { t, i18n } = useTranslation();
  return (
    <li className="catalog-version">
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'baseline' }}>
        <Typography.Text strong>{t('catalog.history.version', { version: v.version })}</Typography.Text>
        <Tag>{t(`catalog.enums.change.${v.change}`, { defaultValue: v.change })}</Tag>
        <Typography.Text type="secondary">
          {t('catalog.history.by', { who: v.actorLabel, time: formatDateTime(v.at, i18n.language) })}
        </Typography.Text>
      </div>
      {v.note && (
        <Typography.Paragraph style={{ margin: '4px 0', whiteSpace: 'pre-wrap' }}>
          {t('catalog.history.note')}: {v.note}
        </Typography.Paragraph>
      )}
      {v.diff.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <table className="catalog-diff">
            <caption className="visually-hidden">
              {t('catalog.history.changesIn', { version: v.version })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('catalog.history.field')}</th>
                <th scope="col">{t('catalog.history.before')}</th>
                <th scope="col">{t('catalog.history.after')}</th>
              </tr>
            </thead>
            <tbody>
              {v.diff.map((d) => (
                <tr key={d.field}>
                  <th scope="row">{t(`catalog.fields.${d.field}`, { defaultValue: d.field })}</th>
                  <td>
                    <del>{diffValue(t, d.field, d.before)}</del>
                  </td>
                  <td>
                    <ins>{diffValue(t, d.field, d.after)}</ins>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

/** The versions of a resource, newest first, each with what changed from the one before. */
export function HistoryList({ datasetRef }: { datasetRef: string }) {
  const { t } = useTranslation();
  const history = useHistory(datasetRef);
  if (history.isPending) return <Loading />;
  if (history.error) return <ErrorAlert error={history.error} />;
  if (history.data.length === 0) return <Empty description={t('catalog.history.empty')} />;
  return (
    <ol className="catalog-history" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {history.data.map((v) => (
        <VersionEntry key={`${v.version}-${v.at}`} v={v} />
      ))}
    </ol>
  );
}
