import type { TFunction } from 'i18next';
import type { LoadReport } from '../../../contracts/datastore.ts';

// How the console words a load report: issues by their kind and figures, in the reader's language.

type Issue = LoadReport['issues'][number];

/** Kinds whose text quotes no figures: translated even in reports stored before issues carried params. */
const PLAIN: ReadonlySet<string> = new Set(['title_row', 'not_an_object', 'restarted']);

/**
 * An issue's explanation in the interface language (datastore.issueText.<kind>.<variant>), with the
 * figures it quotes; the server's English text for a kind the console has no words for, or for a
 * report stored before issues carried their figures.
 */
export function issueText(t: TFunction, issue: Issue): string {
  if (!issue.params && !PLAIN.has(issue.kind)) return issue.message;
  const { variant, ...params } = issue.params ?? {};
  return t(`datastore.issueText.${issue.kind}.${variant ?? 'default'}`, {
    ...params,
    defaultValue: issue.message,
  });
}

/** Formats without a header row, and how their rows are numbered: array elements, lines, records. */
const RECORD_FORMATS: Readonly<Record<string, string>> = {
  json: 'elements',
  geojson: 'elements',
  ndjson: 'lines',
  parquet: 'records',
};

/**
 * How the report counts rows, said once above its tables: the file's own rows (the first line is
 * row 1) when the report names its header row; data rows for reports stored before that; array
 * elements for JSON, lines for NDJSON, records for Parquet.
 */
export function rowNumbering(t: TFunction, report: Pick<LoadReport, 'format' | 'headerRow'>): string {
  if (report.headerRow !== undefined)
    return t('datastore.report.rowNumbers.file', {
      header: report.headerRow,
      context: report.format === 'xlsx' ? 'sheet' : undefined,
    });
  return t(`datastore.report.rowNumbers.${RECORD_FORMATS[report.format] ?? 'data'}`);
}

export type TypeChange = NonNullable<NonNullable<LoadReport['summary']>['typeChanges']>[number];

/** A column an append or upsert widened, with the first values that did not fit its former type. */
export function typeChangeText(t: TFunction, change: TypeChange, label = change.column): string {
  const type = (name: string) => t(`datastore.enums.type.${name}`, { defaultValue: name });
  return t('datastore.report.typeChange', {
    column: label,
    from: type(change.from),
    to: type(change.to),
    count: change.count,
    examples: change.examples
      .map((e) =>
        e.row !== undefined
          ? t('datastore.report.typeChangeExampleRow', { row: e.row, id: e.id, value: e.value })
          : t('datastore.report.typeChangeExample', { id: e.id, value: e.value }),
      )
      .join(t('common.listSeparator')),
  });
}

/**
 * A failed load's explanation when its details say more than its code's message: the rows an upsert
 * lacked keys in, what a file named .xlsx really is, which unsupported format a file is.
 */
export function loadErrorDetail(
  t: TFunction,
  error: { code: string; details?: Record<string, unknown> | undefined },
): string | null {
  const d = error.details;
  // A file that is not what its name says: name what it is and how to fix it.
  if (error.code === 'datastore.bad_xlsx' && typeof d?.content === 'string' && d.content !== 'unknown')
    return t(`datastore.load.notWorkbook.${d.content}`, { defaultValue: '' }) || null;
  if (error.code === 'datastore.unsupported_format' && typeof d?.extension === 'string')
    return (
      t(`datastore.load.unsupportedKind.${d.extension.replace(/^\./, '')}`, { defaultValue: '' }) || null
    );
  if (error.code !== 'datastore.upsert_key_missing' || !d || !Array.isArray(d.rows)) return null;
  const rows = d.rows.map(String).join(', ');
  const count = typeof d.count === 'number' ? d.count : d.rows.length;
  const key = Array.isArray(d.key) ? d.key.map(String).join(t('common.listSeparator')) : '';
  return t('datastore.load.keyMissing', {
    count,
    key,
    rows: count > d.rows.length ? `${rows}, …` : rows,
  });
}
