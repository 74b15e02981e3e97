import type { EChartsCoreOption } from 'echarts/core';
import type { ChartKind } from './query.ts';

// The ECharts option of a quick chart, from the x/y records its SQL returned. Pure, so it is tested
// without a browser; the component only hands it to ECharts.

export interface ChartData {
  kind: ChartKind;
  records: Record<string, unknown>[];
  xName: string;
  yName: string;
  /** Shown for a category whose value is empty. */
  emptyLabel: string;
  /** Whether transitions run (off for people who asked for reduced motion). */
  animation: boolean;
}

/** A value from the SQL answer as a number (big integers and numerics may come as text). */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

const categoryOf = (value: unknown, emptyLabel: string) =>
  value === null || value === undefined || value === '' ? emptyLabel : String(value);

/** The ECharts option for a chart of these records. */
export function chartOption(d: ChartData): EChartsCoreOption {
  const base = { animation: d.animation, tooltip: { trigger: d.kind === 'pie' ? 'item' : 'axis' } };
  if (d.kind === 'pie') {
    return {
      ...base,
      series: [
        {
          type: 'pie',
          name: d.yName,
          radius: ['0%', '65%'],
          data: d.records.map((r) => ({ name: categoryOf(r.x, d.emptyLabel), value: toNumber(r.y) ?? 0 })),
        },
      ],
    };
  }
  if (d.kind === 'scatter' || d.kind === 'map') {
    const points = d.records.flatMap((r) => {
      const x = toNumber(r.x);
      const y = toNumber(r.y);
      return x === null || y === null ? [] : [[x, y]];
    });
    return {
      ...base,
      tooltip: { trigger: 'item' },
      grid: { left: 64, right: 24, top: 24, bottom: 48 },
      xAxis: { type: 'value', name: d.xName, nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', name: d.yName, nameLocation: 'middle', nameGap: 48, scale: true },
      series: [{ type: 'scatter', name: d.yName, symbolSize: d.kind === 'map' ? 6 : 8, data: points }],
    };
  }
  return {
    ...base,
    grid: { left: 64, right: 24, top: 24, bottom: 72 },
    xAxis: {
      type: 'category',
      name: d.xName,
      nameLocation: 'middle',
      nameGap: 56,
      axisLabel: { rotate: d.records.length > 8 ? 30 : 0, hideOverlap: true },
      data: d.records.map((r) => categoryOf(r.x, d.emptyLabel)),
    },
    yAxis: { type: 'value', name: d.yName },
    series: [{ type: d.kind, name: d.yName, data: d.records.map((r) => toNumber(r.y)) }],
  };
}
