import { Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ColumnProfile } from '../../../../contracts/datastore-quality.ts';
import { booleanKey } from '../query.ts';
import { useCaption } from './caption.tsx';

/** A column's profile: type, completeness, distinct values, range, most common values, type conformity. */
export function QualityColumns({ columns }: { columns: readonly ColumnProfile[] }) {
  const { t } = useTranslation();
  const caption = useCaption<ColumnProfile>(t('datastore.quality.columns.caption'));
  const masked = <span className="datastore-null">{t('datastore.quality.columns.masked')}</span>;
  // Yes/no values in the reader's language, as the preview shows them; others as the profile wrote them.
  const shown = (value: string | null, c: ColumnProfile) => {
    const key = value === null ? null : booleanKey(value, c.type);
    return key ? t(key) : (value ?? '—');
  };
  const count = (n: number, estimated: boolean) =>
    estimated ? t('datastore.quality.columns.approx', { count: n.toLocaleString() }) : n.toLocaleString();
  const tableColumns: TableColumnsType<ColumnProfile> = [
    {
      title: t('datastore.quality.columns.column'),
      key: 'column',
      fixed: 'left',
      render: (_: unknown, c) => (
        <>
          {c.label}
          {c.label !== c.id && (
            <>
              {' '}
              <code>{c.id}</code>
            </>
          )}
        </>
      ),
    },
    {
      title: t('datastore.quality.columns.type'),
      key: 'type',
      render: (_: unknown, c) => t(`datastore.enums.type.${c.type}`),
    },
    {
      title: t('datastore.quality.columns.completeness'),
      key: 'completeness',
      align: 'right',
      render: (_: unknown, c) => (
        <>
          {c.completeness}%
          {c.nulls > 0 && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('datastore.quality.columns.nulls', { count: c.nulls })}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('datastore.quality.columns.distinct'),
      key: 'distinct',
      align: 'right',
      render: (_: unknown, c) => (c.distinct === null ? '—' : count(c.distinct, c.estimated)),
    },
    {
      title: t('datastore.quality.columns.range'),
      key: 'range',
      render: (_: unknown, c) => {
        if (c.access === 'masked') return masked;
        if (c.minLength !== null && c.maxLength !== null)
          return t('datastore.quality.columns.lengths', { min: c.minLength, max: c.maxLength });
        return c.min === null && c.max === null ? '—' : `${shown(c.min, c)} – ${shown(c.max, c)}`;
      },
    },
    {
      title: t('datastore.quality.columns.mostCommon'),
      key: 'mostCommon',
      render: (_: unknown, c) => {
        if (c.access === 'masked') return masked;
        if (c.mostCommon.length === 0) return '—';
        return (
          <ul className="datastore-examples">
            {c.mostCommon.map((v) => (
              <li key={v.value} className="datastore-cell">
                {t('datastore.quality.columns.valueCount', {
                  value: shown(v.value, c),
                  count: count(v.count, c.estimated),
                })}
              </li>
            ))}
          </ul>
        );
      },
    },
    {
      title: t('datastore.quality.columns.conformity'),
      key: 'conformity',
      render: (_: unknown, c) =>
        c.conformity === null
          ? '—'
          : c.candidate
            ? t('datastore.quality.columns.candidate', {
                percent: c.conformity,
                type: t(`datastore.enums.type.${c.candidate}`),
              })
            : `${c.conformity}%`,
    },
  ];
  return (
    <Table<ColumnProfile>
      rowKey="id"
      size="small"
      columns={tableColumns}
      dataSource={[...columns]}
      components={caption}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}
