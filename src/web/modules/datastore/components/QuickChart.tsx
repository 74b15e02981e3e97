import { Alert, Select, Typography } from 'antd';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DictionaryColumn } from '../../../../contracts/datastore.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { useQuality, useSqlQuery } from '../api.ts';
import { defaultChartSpec } from '../chart-defaults.ts';
import { chartOption } from '../chart-option.ts';
import {
  AGGREGATES,
  type Aggregate,
  CATEGORY_LIMIT,
  CHART_KINDS,
  type ChartKind,
  type ChartSpec,
  chartReady,
  chartSql,
  columnLabel,
  isNumeric,
  lonLatColumns,
} from '../query.ts';
import { EChart } from './EChart.tsx';

const reducedMotion = () =>
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

/**
 * The columns a new chart kind starts from: numbers for scatters, the coordinates for maps, and
 * back from points to categories, the table's default category and measure.
 */
function specFor(
  kind: ChartKind,
  prev: ChartSpec,
  columns: DictionaryColumn[],
  defaults: ChartSpec,
): ChartSpec {
  const numeric = columns.filter((c) => isNumeric(c.type)).map((c) => c.id);
  if (kind === 'map') {
    const lonLat = lonLatColumns(columns);
    return { ...prev, kind, x: lonLat?.lon ?? prev.x, y: lonLat?.lat ?? prev.y };
  }
  if (kind === 'scatter') {
    const x = numeric.includes(prev.x) ? prev.x : (numeric[0] ?? prev.x);
    const y = prev.y && prev.y !== x ? prev.y : (numeric.find((id) => id !== x) ?? numeric[0]);
    return { ...prev, kind, x, y };
  }
  if (prev.kind === 'scatter' || prev.kind === 'map') return { ...defaults, kind };
  return { ...prev, kind };
}

/** The chart tab: waits for the quality profile, whose distinct counts choose the default category. */
export default function QuickChart(props: { distributionId: string; columns: DictionaryColumn[] }) {
  const quality = useQuality(props.distributionId);
  if (quality.isPending) return <Loading />;
  // Without a profile (not computed yet, or unreadable) the defaults go by the dictionary alone.
  const figures = quality.data?.version != null ? quality.data.columns : undefined;
  return <ChartPanel {...props} defaults={defaultChartSpec(props.columns, figures)} />;
}

/**
 * The quick chart of a table: bar, line, pie, scatter, or points on a map when it has longitude and
 * latitude columns. Categories are aggregated by datastore_search_sql (count, sum or average).
 */
function ChartPanel({
  distributionId,
  columns,
  defaults,
}: {
  distributionId: string;
  columns: DictionaryColumn[];
  defaults: ChartSpec;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const numeric = columns.filter((c) => isNumeric(c.type));
  const lonLat = lonLatColumns(columns);
  const kinds = CHART_KINDS.filter((k) =>
    k === 'map' ? !!lonLat : k === 'scatter' ? numeric.length > 0 : true,
  );
  const [spec, setSpec] = useState<ChartSpec>(defaults);
  const [size, setSize] = useState<{ width: number; height: number } | undefined>();
  const statement = chartReady(spec) ? chartSql(distributionId, spec) : undefined;
  const result = useSqlQuery(statement);
  const label = (columnId: string | undefined) => {
    const c = columns.find((col) => col.id === columnId);
    return c ? columnLabel(c, i18n.language) : '';
  };
  const points = spec.kind === 'scatter' || spec.kind === 'map';
  const yName =
    points || spec.aggregate !== 'count'
      ? `${points ? '' : `${t(`datastore.enums.aggregate.${spec.aggregate}`)} · `}${label(spec.y)}`
      : t('datastore.chart.countLabel');
  const records = result.data?.records;
  const xName = label(spec.x);
  const option = useMemo(
    () =>
      records
        ? chartOption({
            kind: spec.kind,
            records,
            xName,
            yName,
            emptyLabel: t('datastore.portal.nullValue'),
            animation: !reducedMotion(),
            size,
          })
        : undefined,
    [records, spec.kind, xName, yName, t, size],
  );

  const columnOptions = (list: DictionaryColumn[]) =>
    list.map((c) => ({ value: c.id, label: columnLabel(c, i18n.language) }));
  const xColumns = points ? numeric : columns;
  const field = (key: string, text: string, control: React.ReactNode) => (
    <div key={key}>
      <label htmlFor={`${id}-${key}`}>{text}</label>
      {control}
    </div>
  );
  return (
    <>
      <div className="datastore-toolbar">
        {field(
          'kind',
          t('datastore.chart.kind'),
          <Select
            id={`${id}-kind`}
            value={spec.kind}
            style={{ width: 160 }}
            onChange={(kind: ChartKind) => setSpec((s) => specFor(kind, s, columns, defaults))}
            options={kinds.map((k) => ({ value: k, label: t(`datastore.enums.chart.${k}`) }))}
          />,
        )}
        {field(
          'x',
          spec.kind === 'map' ? t('datastore.chart.lon') : t('datastore.chart.x'),
          <Select
            id={`${id}-x`}
            value={spec.x || undefined}
            style={{ width: 200 }}
            onChange={(x: string) => setSpec((s) => ({ ...s, x }))}
            options={columnOptions(xColumns)}
          />,
        )}
        {field(
          'y',
          spec.kind === 'map' ? t('datastore.chart.lat') : t('datastore.chart.y'),
          <Select
            id={`${id}-y`}
            value={spec.y}
            style={{ width: 200 }}
            disabled={!points && spec.aggregate === 'count'}
            onChange={(y: string) => setSpec((s) => ({ ...s, y }))}
            options={columnOptions(numeric)}
          />,
        )}
        {!points &&
          field(
            'aggregate',
            t('datastore.chart.aggregate'),
            <Select
              id={`${id}-aggregate`}
              value={spec.aggregate}
              style={{ width: 140 }}
              // A sum or an average needs a measure: the first numeric column until one is chosen.
              onChange={(aggregate: Aggregate) =>
                setSpec((s) => ({ ...s, aggregate, y: s.y ?? numeric[0]?.id }))
              }
              options={AGGREGATES.filter((a) => a === 'count' || numeric.length > 0).map((a) => ({
                value: a,
                label: t(`datastore.enums.aggregate.${a}`),
              }))}
            />,
          )}
      </div>
      {numeric.length === 0 && (
        <Alert type="info" showIcon title={t('datastore.chart.noNumeric')} style={{ marginBottom: 12 }} />
      )}
      <ErrorAlert error={result.error} />
      {!statement ? (
        <Typography.Text type="secondary">{t('datastore.chart.choose')}</Typography.Text>
      ) : !option ? (
        result.isPending && <Loading />
      ) : records && records.length === 0 ? (
        <Typography.Text type="secondary">{t('datastore.chart.empty')}</Typography.Text>
      ) : (
        <>
          {spec.kind === 'map' && (
            <Alert type="info" showIcon title={t('datastore.chart.noBaseMap')} style={{ marginBottom: 12 }} />
          )}
          <EChart
            option={option}
            onResize={setSize}
            label={t('datastore.chart.label', {
              chart: t(`datastore.enums.chart.${spec.kind}`),
              x: xName,
              y: yName,
            })}
          />
          {!points && records?.length === CATEGORY_LIMIT && (
            <Typography.Text type="secondary">
              {t('datastore.chart.limited', { count: CATEGORY_LIMIT })}
            </Typography.Text>
          )}
        </>
      )}
    </>
  );
}
