import type { LocaleShape } from '../../../app/locales/zh-CN.ts';
import type { issueTextZh, loadZh, reportZh } from './load-zh-CN.ts';

// DataStore load strings in English: the last load, its issues and its report.

export const loadEn: LocaleShape<typeof loadZh> = {
  title: 'Last load',
  none: 'Nothing has been loaded yet.',
  file: 'File',
  mode: 'Mode',
  status: 'Status',
  stage: 'Stage',
  rowsRead: '{{rows}} rows read',
  progress: 'Load progress',
  requestedBy: 'Requested by',
  createdAt: 'Started',
  finishedAt: 'Finished',
  cancel: 'Cancel load',
  cancelConfirm: 'Cancel this load? The current version stays.',
  cancelled: 'Load cancelled',
  failed: 'The load failed',
  succeeded: 'Loaded: {{rows}} rows, version {{version}}',
  notWorkbook: {
    csv: 'The file is named .xlsx, but it is text (CSV or tab-separated), not an Excel workbook. Rename it to .csv and upload it again, or save it as .xlsx in Excel or WPS.',
    html: 'The file is named .xlsx, but it is a web page (an HTML table, as some systems export), not an Excel workbook. Open it in Excel or WPS and save it as .xlsx.',
    xml2003:
      'The file is named .xlsx, but it is an Excel 2003 XML spreadsheet. Open it in Excel or WPS and save it as .xlsx.',
  },
  unsupportedKind: {
    xls: 'This is an Excel 97–2003 workbook (.xls), which cannot be loaded. Open it in Excel or WPS and save it as .xlsx.',
    et: 'This is a WPS spreadsheet (.et), which cannot be loaded. Save it as .xlsx in WPS.',
    ods: 'This is an OpenDocument spreadsheet (.ods), which cannot be loaded. Save it as .xlsx or CSV.',
    zip: 'This is a zip archive. Upload the files inside it instead.',
  },
  keyMissing:
    '{{count}} rows have no value in the key column “{{key}}” (rows {{rows}} of the file). An upsert finds each row by its key, so nothing was loaded: fill in the key, or add such rows with append.',
  keyMissing_one:
    '{{count}} row has no value in the key column “{{key}}” (row {{rows}} of the file). An upsert finds each row by its key, so nothing was loaded: fill in the key, or add such rows with append.',
};

export const issueTextEn: LocaleShape<typeof issueTextZh> = {
  title_row: {
    default: 'A title line above the header was skipped',
    line: 'Line {{line}} of the file, a title above the header, was skipped',
    sheet: 'Sheet row {{line}}, a title above the header, was skipped',
  },
  header_rows: {
    default:
      'The header spans sheet rows {{first}} and {{last}} (group titles merged over the column titles): each column is named “group/title”, such as “{{example}}”',
  },
  total_row: {
    skipped: 'Sheet row {{sheetRow}}, a totals row below the data, was skipped: it is not a record',
    kept: 'Sheet row {{sheetRow}} looks like a totals row, but data follows it, so it was loaded as a row',
  },
  note_row: { skipped: 'Sheet row {{sheetRow}}, a note below the data, was skipped' },
  precision_lost: {
    default:
      'Sheet row {{sheetRow}} holds the number {{value}}: Excel keeps only 15 digits, so its last digits were lost in the workbook and cannot be recovered. Enter ID numbers and credit codes as text (format the column as Text, or type a leading apostrophe) and upload again',
  },
  formula_not_cached: {
    default:
      'Sheet row {{sheetRow}} holds a formula saved without its result. Civitas does not calculate formulas, so the cell was left empty: open the file in Excel or WPS, save it, and upload again',
  },
  empty_header: { default: 'Column {{position}} has no header label' },
  duplicate_header: {
    default: 'The header label “{{label}}” appears more than once (column {{position}})',
  },
  encoding_repaired: {
    default: 'Line {{line}} (counted from the first data row) was not valid UTF-8 and was read as GB18030',
    file_line: 'Line {{line}} of the file was not valid UTF-8 and was read as GB18030',
  },
  blank_row: { default: 'A blank row was skipped', sheet: 'Blank sheet row {{sheetRow}} was skipped' },
  ragged_row: {
    short: 'The row has {{found}} of {{expected}} fields; the missing values are left empty',
    trailing_empty:
      'The row has {{found}} fields, {{expected}} expected; the empty trailing fields were dropped',
    extra_kept:
      'The row has {{found}} fields, {{expected}} expected; the extra fields were kept in the last column',
    sheet_extra:
      'Sheet row {{sheetRow}} has values right of the last column; they were kept in the last column',
  },
  row_limit: { default: 'Only the first {{max}} rows were read' },
  nul_bytes: { default: '{{characters}} NUL character(s) were removed near this row' },
  not_an_object: {
    default: 'An array element is not an object; it was skipped',
    element: 'Element {{index}} of the array is not an object; it was skipped',
  },
  truncated_field: {
    default: 'A value longer than {{bytes}} bytes was truncated',
    nested: 'A nested value longer than {{bytes}} bytes was truncated',
  },
  invalid_json_line: { default: 'Line {{line}} was skipped: {{reason}}' },
  cell_error: { default: 'Sheet row {{sheetRow}} holds the Excel error {{error}}; it was left empty' },
  unbalanced_quote: {
    never_closed: 'The quote opened here is never closed; it was read as a literal character',
    text_after: 'A quoted value is followed by more text; its quotes were read as literal characters',
  },
  parsed_by_civitas: {
    default: 'PostgreSQL could not read the file as regular CSV ({{reason}}); Civitas parsed it itself',
  },
  restarted: {
    default:
      'The load was interrupted (the process running it stopped) and started again from the file; the previous version stayed current meanwhile',
  },
};

export const reportEn: LocaleShape<typeof reportZh> = {
  show: 'Show the load report',
  format: 'Format',
  encoding: 'Encoding',
  delimiter: 'Delimiter',
  sheet: 'Sheet',
  sheets: 'Sheets in the file',
  path: 'How it was read',
  rowsRead: 'Rows read',
  rows: 'Rows loaded',
  bytes: 'File size',
  titleRows: 'Title rows skipped',
  columnsTitle: 'Columns and types',
  columnsCaption: 'The type inferred for each column, its empty values and disagreeing values',
  column: 'Column',
  type: 'Type',
  candidate: 'Type of most values',
  nonNull: 'With value',
  nulls: 'Empty',
  disagreeing: 'Disagreeing',
  rowNumbers: {
    file: 'Row numbers are the file’s own, as a text editor or Excel shows them: the first line of the file is row 1, the header is row {{header}}, and blank rows count.',
    file_sheet:
      'Row numbers are the sheet’s own, as Excel shows them: the header is row {{header}}, and blank rows count.',
    data: 'Row numbers count data rows: row 1 is the first row after the header.',
    records: 'Row numbers count the file’s records from 1.',
    elements:
      'Row numbers are the records’ places in the file’s array: the first element is row 1, skipped elements count.',
    lines: 'Row numbers are the file’s lines, as a text editor shows them: the first line is row 1.',
  },
  examples: 'Disagreeing values (row: value)',
  example: 'row {{row}}: {{value}}',
  issuesTitle: 'Issues found ({{count}})',
  issuesCaption: 'Issues found and handled while loading',
  kind: 'Issue',
  row: 'Row',
  message: 'Details',
  sample: 'Sample',
  noIssues: 'No issues found.',
  dropped: 'Empty columns dropped',
  summaryTitle: 'Against the previous version',
  added: '{{count}} rows added',
  added_one: '{{count}} row added',
  removed: '{{count}} rows removed',
  removed_one: '{{count}} row removed',
  changed: '{{count}} rows changed',
  changed_one: '{{count}} row changed',
  typeChangesTitle: 'Column types widened',
  typeChange:
    '“{{column}}” changed from {{from}} to {{to}}: {{count}} values did not fit {{from}} ({{examples}})',
  typeChange_one:
    '“{{column}}” changed from {{from}} to {{to}}: {{count}} value did not fit {{from}} ({{examples}})',
  typeChangeExample: '_id {{id}}: {{value}}',
  typeChangeExampleRow: 'row {{row}}, _id {{id}}: {{value}}',
  delimiterTab: 'Tab',
  delimiterSpace: 'Space',
};
