import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import { CATEGORY_LIMIT, type ChartSpec, isNumeric, lonLatColumns } from './query.ts';

// The columns a quick chart starts from. A bar of one bar per resident ID or serial number says
// nothing, so the category is a column whose values repeat (few distinct values, text or date),
// never a personal or masked one, and the measure a numeric column that is a quantity rather than
// a code or a coordinate — or a count of rows when the table has none.

/** What the quality profile says of a column (distinct values; masked for this reader or not). */
export interface ColumnFigures {
  id: string;
  nonNull: number;
  distinct: number | null;
  access?: 'clear' | 'masked';
}

type Column = Pick<DictionaryColumn, 'id' | 'label' | 'type' | 'sensitivity' | 'mask' | 'subject'>;

/** Labels of identifiers and codes (in English or Chinese): values that name one row, not a group. */
const IDENTIFIER =
  /(^|[\s_-])(id|no|nr|num|number|code|uuid|key|serial)$|^(id|no|序号|编号)$|编号|序号|代码|编码|号码|证号|身份证|证件|流水号|账号|帐号|电话|手机|邮箱|uuid|email|phone|mobile/i;
/** Labels of periods (months, quarters, dates): one row each in a time series, and the axis a line chart wants. */
const PERIOD = /月份|日期|年度|季度|年月|时间|期间|month|date|period|quarter/i;
/** Labels of years: numbers, but not a quantity to add up. */
const YEAR = /^(year|yr)$|年份|年度|^年$/i;
const CATEGORY_TYPES: readonly string[] = ['text', 'date', 'boolean'];

const named = (c: Column, pattern: RegExp) => pattern.test(c.id) || pattern.test(c.label);

/** A column that identifies or describes a person, or that this reader sees masked. */
const isPersonal = (c: Column, f: ColumnFigures | undefined) =>
  c.mask !== 'none' ||
  c.sensitivity === 'personal' ||
  c.sensitivity === 'secret' ||
  !!c.subject ||
  f?.access === 'masked';

/** Whether most values repeat: more than one distinct value, fewer than one per row. */
const repeats = (f: ColumnFigures) => f.distinct !== null && f.distinct >= 2 && f.distinct < f.nonNull;

/** A category groups well when there are at most half as many distinct values as rows. */
const GROUPS_WELL = 0.5;
/**
 * Up to this many rows, a text column with one value per row is a category after all: a table of
 * figures per district (five rows, five districts) is drawn one bar per row. Identifiers are still
 * left out by their names, personal columns by their sensitivity; in a larger table a column of
 * distinct values names rows rather than groups them.
 */
const ONE_ROW_EACH = 20;

/**
 * The category a bar, line or pie chart starts from, among text, date and yes/no columns that are
 * not personal, masked or named like an identifier and whose values repeat: the first (in the
 * table's order) that fits the chart (up to CATEGORY_LIMIT distinct values) and groups well, text
 * and dates before yes/no; else the one that fits with the fewest distinct values per row; else the
 * one with the fewest distinct values. Names that merely repeat now and then (21 station names in
 * 36 rows) lose to the district (3). Failing all, in a small table, a text column with a value per
 * row (ONE_ROW_EACH). Without figures (no quality profile yet) the first such column
 * by its name and type alone.
 */
export function defaultCategory(
  columns: readonly Column[],
  figures?: readonly ColumnFigures[],
): string | undefined {
  const figuresOf = (id: string) => figures?.find((f) => f.id === id);
  const candidates = columns.filter(
    (c) => CATEGORY_TYPES.includes(c.type) && !isPersonal(c, figuresOf(c.id)) && !named(c, IDENTIFIER),
  );
  if (!figures) return candidates[0]?.id;
  const counted = candidates.flatMap((c) => {
    const f = figuresOf(c.id);
    if (!f || !repeats(f)) return [];
    const distinct = f.distinct as number;
    return [{ id: c.id, type: c.type, distinct, share: distinct / f.nonNull }];
  });
  const fitting = counted.filter((c) => c.distinct <= CATEGORY_LIMIT);
  const grouped = fitting.filter((c) => c.share <= GROUPS_WELL);
  const pick =
    grouped.find((c) => c.type !== 'boolean') ??
    grouped[0] ??
    [...fitting].sort((a, b) => a.share - b.share)[0] ??
    [...counted].sort((a, b) => a.distinct - b.distinct)[0];
  if (pick) return pick.id;
  return candidates.find((c) => {
    const f = figuresOf(c.id);
    return c.type === 'text' && f?.distinct != null && f.distinct >= 2 && f.nonNull <= ONE_ROW_EACH;
  })?.id;
}

/** The numeric column a chart sums by default: not personal, not a code, a year or a coordinate. */
export function defaultMeasure(
  columns: readonly Column[],
  figures?: readonly ColumnFigures[],
): string | undefined {
  const lonLat = lonLatColumns(columns);
  return columns.find(
    (c) =>
      isNumeric(c.type) &&
      !isPersonal(
        c,
        figures?.find((f) => f.id === c.id),
      ) &&
      !named(c, IDENTIFIER) &&
      !named(c, YEAR) &&
      c.id !== lonLat?.lon &&
      c.id !== lonLat?.lat,
  )?.id;
}

/**
 * A time series' period column — a date column, or text named like a month or quarter — with one
 * value per row but few enough to draw: the one all-distinct column a chart can use, as a line.
 */
export function defaultPeriod(columns: readonly Column[], figures?: readonly ColumnFigures[]) {
  return columns.find((c) => {
    const f = figures?.find((x) => x.id === c.id);
    return (
      (c.type === 'date' || (c.type === 'text' && named(c, PERIOD))) &&
      !isPersonal(c, f) &&
      f?.distinct != null &&
      f.distinct >= 2 &&
      f.distinct <= CATEGORY_LIMIT
    );
  })?.id;
}

/**
 * The chart a table's chart tab opens with: bars of a sensible category, or a line over the periods
 * of a time series, each with the sum of a measure or the count of rows.
 */
export function defaultChartSpec(columns: readonly Column[], figures?: readonly ColumnFigures[]): ChartSpec {
  const y = defaultMeasure(columns, figures);
  const aggregate = y ? 'sum' : 'count';
  const category = defaultCategory(columns, figures);
  if (category) return { kind: 'bar', x: category, y, aggregate };
  const period = defaultPeriod(columns, figures);
  if (period) return { kind: 'line', x: period, y, aggregate };
  return { kind: 'bar', x: '', y, aggregate };
}
