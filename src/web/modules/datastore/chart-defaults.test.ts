import { describe, expect, it } from 'vitest';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import { type ColumnFigures, defaultCategory, defaultChartSpec, defaultMeasure } from './chart-defaults.ts';
import { chartOption, mapExtent } from './chart-option.ts';

const column = (id: string, type: DictionaryColumn['type'], extra: Partial<DictionaryColumn> = {}) =>
  ({ id, label: id, type, sensitivity: 'public', mask: 'none', ...extra }) as DictionaryColumn;
const figures = (id: string, distinct: number, nonNull = 100, access: 'clear' | 'masked' = 'clear') =>
  ({ id, distinct, nonNull, access }) as ColumnFigures;

// A table of residents as a district publishes it: the first text column is the ID number.
const RESIDENTS = [
  column('居民身份证号', 'text', { sensitivity: 'personal', mask: 'id_number', subject: 'resident_id' }),
  column('序号', 'integer'),
  column('登记编号', 'text'),
  column('姓名', 'text', { sensitivity: 'personal', mask: 'name' }),
  column('所属街道', 'text'),
  column('登记日期', 'date'),
  column('年份', 'integer'),
  column('补贴金额', 'numeric'),
];
const RESIDENT_FIGURES = [
  figures('居民身份证号', 100, 100, 'masked'),
  figures('序号', 100),
  figures('登记编号', 100),
  figures('姓名', 97, 100, 'masked'),
  figures('所属街道', 6),
  figures('登记日期', 40),
  figures('年份', 3),
  figures('补贴金额', 80),
];

describe('the quick chart’s default columns', () => {
  it('groups by a column whose values repeat, never an identifier or a personal column', () => {
    expect(defaultChartSpec(RESIDENTS, RESIDENT_FIGURES)).toEqual({
      kind: 'bar',
      x: '所属街道',
      y: '补贴金额',
      aggregate: 'sum',
    });
  });

  it('leaves out columns whose every value is distinct, and prefers one that fits the chart', () => {
    const columns = [column('名称', 'text'), column('类别', 'text'), column('区', 'text')];
    // 80 kinds would not fit in a chart of 50 bars; 7 districts do.
    expect(defaultCategory(columns, [figures('名称', 100), figures('类别', 80), figures('区', 7)])).toBe(
      '区',
    );
    expect(defaultCategory(columns, [figures('名称', 100), figures('类别', 30), figures('区', 7)])).toBe(
      '类别',
    );
    expect(defaultCategory(columns, [figures('名称', 100), figures('类别', 100), figures('区', 100)])).toBe(
      undefined,
    );
    // A small table of figures per district is drawn one bar per row; its ID column still is not.
    const districts = [column('编号', 'text'), column('区县', 'text'), column('人口数', 'integer')];
    const five = [figures('编号', 5, 5), figures('区县', 5, 5), figures('人口数', 5, 5)];
    expect(defaultChartSpec(districts, five)).toEqual({
      kind: 'bar',
      x: '区县',
      y: '人口数',
      aggregate: 'sum',
    });
  });

  it('draws a time series as a line over its periods, one row each', () => {
    const columns = [column('统计月份', 'text'), column('序号', 'integer'), column('下载次数', 'integer')];
    const monthly = [figures('统计月份', 29, 29), figures('序号', 29, 29), figures('下载次数', 29, 29)];
    expect(defaultChartSpec(columns, monthly)).toEqual({
      kind: 'line',
      x: '统计月份',
      y: '下载次数',
      aggregate: 'sum',
    });
  });

  it('prefers a column that groups the rows over names that only repeat now and then', () => {
    // The demo's EV charging stations: 21 station names in 36 rows, 3 districts.
    const columns = [column('场所名称', 'text'), column('所属区县', 'text'), column('地址', 'text')];
    const stations = [figures('场所名称', 21, 36), figures('所属区县', 3, 36), figures('地址', 36, 36)];
    expect(defaultCategory(columns, stations)).toBe('所属区县');
    // A yes/no column groups too, but a district says more.
    const withFlag = [column('是否开放', 'boolean'), ...columns];
    expect(defaultCategory(withFlag, [figures('是否开放', 2, 36), ...stations])).toBe('所属区县');
  });

  it('goes by names and sensitivity alone before the table has a quality profile', () => {
    expect(defaultCategory(RESIDENTS)).toBe('所属街道');
  });

  it('counts rows when no numeric column is a quantity (codes, years and coordinates are not)', () => {
    const columns = [
      column('区', 'text'),
      column('序号', 'integer'),
      column('year', 'integer'),
      column('经度', 'numeric'),
      column('纬度', 'numeric'),
    ];
    expect(defaultMeasure(columns)).toBeUndefined();
    expect(defaultChartSpec(columns)).toEqual({ kind: 'bar', x: '区', y: undefined, aggregate: 'count' });
  });
});

describe('map points without a base map', () => {
  const records = [
    { x: 120.1, y: 30.2 },
    { x: 120.3, y: 30.25 },
  ];
  type Axis = { type: string; name: string; min: number; max: number };
  const map = (width: number, height: number) =>
    chartOption({
      kind: 'map',
      records,
      xName: '经度',
      yName: '纬度',
      emptyLabel: '',
      animation: false,
      size: { width, height },
    }) as { xAxis: Axis; yAxis: Axis; grid: { left: number; right: number; top: number; bottom: number } };

  it('draws longitude across and latitude up at one scale, whatever the chart’s shape', () => {
    for (const [width, height] of [
      [900, 360],
      [400, 600],
    ] as const) {
      const o = map(width, height);
      const plotW = width - o.grid.left - o.grid.right;
      const plotH = height - o.grid.top - o.grid.bottom;
      const midLat = ((o.yAxis.min + o.yAxis.max) / 2) * (Math.PI / 180);
      const kmAcross = ((o.xAxis.max - o.xAxis.min) * Math.cos(midLat)) / plotW;
      const kmUp = (o.yAxis.max - o.yAxis.min) / plotH;
      expect(kmAcross / kmUp).toBeCloseTo(1, 6);
      // Every point inside the axes.
      for (const r of records) {
        expect(r.x).toBeGreaterThan(o.xAxis.min);
        expect(r.x).toBeLessThan(o.xAxis.max);
        expect(r.y).toBeGreaterThan(o.yAxis.min);
        expect(r.y).toBeLessThan(o.yAxis.max);
      }
      expect(o.xAxis).toMatchObject({ type: 'value', name: '经度' });
    }
  });

  it('fetches nothing: no geo component, tiles or URLs in the option', () => {
    const text = JSON.stringify(map(800, 360));
    expect(text).not.toMatch(/https?:|tile|bmap|leaflet|"geo"/i);
  });

  it('gives a lone point an area around it', () => {
    const e = mapExtent([[120, 30]], 400, 300);
    expect(e.west).toBeLessThan(120);
    expect(e.east).toBeGreaterThan(120);
    expect(e.south).toBeLessThan(30);
    expect(e.north).toBeGreaterThan(30);
  });
});
