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
  /** Map points: the chart's size in pixels, so a degree of longitude and of latitude get their true proportion. */
  size?: { width: number; height: number } | undefined;
}

/** Margins of a points chart's plot area inside the chart, in pixels. */
const POINT_GRID = { left: 72, right: 24, top: 24, bottom: 48 };

/**
 * The axis ranges of map points: their extent with a margin, the shorter side widened so that a
 * kilometre measures the same across and up (a degree of longitude is cos(latitude) of a degree of
 * latitude) in a plot area of `width` × `height` pixels. No base map is drawn: the machine may be
 * offline and no tile server is fetched, so the axes themselves say where the points are.
 */
export function mapExtent(points: number[][], width: number, height: number) {
  const lons = points.map((p) => p[0] as number);
  const lats = points.map((p) => p[1] as number);
  let [west, east] = [Math.min(...lons), Math.max(...lons)];
  let [south, north] = [Math.min(...lats), Math.max(...lats)];
  // A lone point (or a line of them) still gets an area around it.
  const pad = (lo: number, hi: number) => Math.max((hi - lo) * 0.05, 0.005);
  const padLon = pad(west, east);
  const padLat = pad(south, north);
  [west, east, south, north] = [west - padLon, east + padLon, south - padLat, north + padLat];
  const scale = Math.cos((((south + north) / 2) * Math.PI) / 180) || 1;
  const ratio = Math.max(width, 1) / Math.max(height, 1);
  const across = (east - west) * scale;
  const up = north - south;
  if (across / up > ratio) {
    const grow = (across / ratio - up) / 2;
    south -= grow;
    north += grow;
  } else {
    const grow = (up * ratio - across) / scale / 2;
    west -= grow;
    east += grow;
  }
  return {
    west: Math.max(west, -180),
    east: Math.min(east, 180),
    south: Math.max(south, -90),
    north: Math.min(north, 90),
  };
}

/** Degrees as the axis shows them, with as many decimals as the range needs. */
const degrees = (span: number) => {
  const decimals = span >= 10 ? 0 : span >= 1 ? 1 : span >= 0.1 ? 2 : 3;
  return (value: number) => `${value.toFixed(decimals)}°`;
};

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
    if (d.kind === 'map') return mapOption(d, points);
    return {
      ...base,
      tooltip: { trigger: 'item' },
      grid: { left: 64, right: 24, top: 24, bottom: 48 },
      xAxis: { type: 'value', name: d.xName, nameLocation: 'middle', nameGap: 28, scale: true },
      yAxis: { type: 'value', name: d.yName, nameLocation: 'middle', nameGap: 48, scale: true },
      series: [{ type: 'scatter', name: d.yName, symbolSize: 8, data: points }],
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

/** Points on longitude and latitude axes at one scale, without a base map. */
function mapOption(d: ChartData, points: number[][]): EChartsCoreOption {
  const size = d.size ?? { width: 800, height: 360 };
  const plot = {
    width: size.width - POINT_GRID.left - POINT_GRID.right,
    height: size.height - POINT_GRID.top - POINT_GRID.bottom,
  };
  const e = points.length ? mapExtent(points, plot.width, plot.height) : undefined;
  const axis = (name: string, min: number | undefined, max: number | undefined, gap: number) => ({
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: gap,
    min,
    max,
    splitLine: { show: true, lineStyle: { type: 'dashed' } },
    // The ends of a widened range are odd values (29.6437°): only the round ticks are labelled.
    axisLabel: {
      formatter: degrees((max ?? 1) - (min ?? 0)),
      hideOverlap: true,
      showMinLabel: false,
      showMaxLabel: false,
    },
  });
  return {
    animation: d.animation,
    tooltip: { trigger: 'item' },
    grid: POINT_GRID,
    xAxis: axis(d.xName, e?.west, e?.east, 28),
    yAxis: axis(d.yName, e?.south, e?.north, 56),
    series: [{ type: 'scatter', name: d.yName, symbolSize: 6, data: points }],
  };
}
