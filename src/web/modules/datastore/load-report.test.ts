import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { LoadReport } from '../../../contracts/datastore.ts';
import { resources, zhCN } from '../../app/locales/index.ts';
import { issueText, loadErrorDetail, rowNumbering, typeChangeText } from './load-report.ts';

type Issue = LoadReport['issues'][number];

async function translator(lng: string) {
  const i18n = i18next.createInstance();
  await i18n.init({ lng, resources, interpolation: { escapeValue: false }, returnNull: false });
  return i18n.t;
}

const QA_ISSUES: Issue[] = [
  { kind: 'title_row', message: 'A title line above the header was skipped', params: {} },
  {
    kind: 'unbalanced_quote',
    row: 3,
    message: 'The quote opened here is never closed; it was read as a literal character',
    params: { variant: 'never_closed' },
  },
  {
    kind: 'ragged_row',
    row: 4,
    message: 'The row has 2 of 8 fields; the missing values are left empty',
    params: { variant: 'short', found: 2, expected: 8 },
  },
];

/** Issues as the readers send them (server English), for the kinds hand-made workbooks bring. */
const WORKBOOK_ISSUES: Issue[] = [
  {
    kind: 'title_row',
    row: 1,
    message: 'Sheet row 1, a title above the header, was skipped',
    params: { variant: 'sheet', line: 1 },
  },
  {
    kind: 'title_row',
    row: 2,
    message: 'Line 2 of the file, a title above the header, was skipped',
    params: { variant: 'line', line: 2 },
  },
  {
    kind: 'header_rows',
    message:
      'The header spans sheet rows 2 and 3 (group titles merged over the column titles): each column is named “group/title”, such as “从业人员/男”',
    params: { first: 2, last: 3, example: '从业人员/男' },
  },
  {
    kind: 'precision_lost',
    row: 5,
    message:
      'Sheet row 5 holds the number 330106198001011000: Excel keeps only 15 digits, so its last digits were lost in the workbook and cannot be recovered. Enter ID numbers and credit codes as text (format the column as Text, or type a leading apostrophe) and upload again',
    params: { sheetRow: 5, value: '330106198001011000' },
  },
  {
    kind: 'formula_not_cached',
    row: 5,
    message:
      'Sheet row 5 holds a formula saved without its result. Civitas does not calculate formulas, so the cell was left empty: open the file in Excel or WPS, save it, and upload again',
    params: { sheetRow: 5 },
  },
  {
    kind: 'total_row',
    row: 6,
    message: 'Sheet row 6, a totals row below the data, was skipped: it is not a record',
    params: { variant: 'skipped', sheetRow: 6 },
  },
  {
    kind: 'total_row',
    row: 4,
    message: 'Sheet row 4 looks like a totals row, but data follows it, so it was loaded as a row',
    params: { variant: 'kept', sheetRow: 4 },
  },
  {
    kind: 'note_row',
    row: 8,
    message: 'Sheet row 8, a note below the data, was skipped',
    params: { variant: 'skipped', sheetRow: 8 },
  },
  {
    kind: 'not_an_object',
    row: 2,
    message: 'Element 2 of the array is not an object; it was skipped',
    params: { variant: 'element', index: 2 },
  },
];

describe('issueText', () => {
  it('words the workbook issues in English exactly as the server does, and in Chinese with their rows', async () => {
    const en = await translator('en');
    expect(WORKBOOK_ISSUES.map((issue) => issueText(en, issue))).toEqual(
      WORKBOOK_ISSUES.map((i) => i.message),
    );
    const zh = await translator('zh-CN');
    expect(WORKBOOK_ISSUES.map((issue) => issueText(zh, issue))).toEqual([
      '工作表第 1 行是表头上方的标题，已跳过',
      '文件第 2 行是表头上方的标题，已跳过',
      '表头占工作表第 2 行和第 3 行（上方是合并的分组标题，下方是列名），列名已合并为“分组/列名”，如“从业人员/男”',
      '工作表第 5 行的数字 330106198001011000 超过了 Excel 能保存的 15 位，末尾几位在工作簿中已经丢失，无法恢复。身份证号、统一社会信用代码等请按文本输入（把该列设为“文本”格式，或在前面加英文单引号）后重新上传',
      '工作表第 5 行的公式保存时没有计算结果。平台不计算公式，该单元格已留空：请用 Excel 或 WPS 打开文件、保存后重新上传',
      '工作表第 6 行是数据下方的合计行，不是一条记录，已跳过',
      '工作表第 4 行看起来是合计行，但它下面还有数据，已作为一行数据加载',
      '工作表第 8 行是数据下方的注释，已跳过',
      '数组的第 2 个元素不是对象，已跳过',
    ]);
  });

  it('words each issue in Chinese with its figures', async () => {
    const t = await translator('zh-CN');
    expect(QA_ISSUES.map((issue) => issueText(t, issue))).toEqual([
      '表头上方的一行标题已跳过',
      '此处开始的引号一直没有闭合，已按普通字符读取',
      '这一行只有 2 个字段（应为 8 个），缺少的值留空',
    ]);
  });

  it('words them in English as the server does', async () => {
    const t = await translator('en');
    expect(QA_ISSUES.map((issue) => issueText(t, issue))).toEqual(QA_ISSUES.map((i) => i.message));
  });

  it('falls back to the server text for unknown kinds and for reports stored without figures', async () => {
    const t = await translator('zh-CN');
    expect(issueText(t, { kind: 'something_new', message: 'Something new', params: {} })).toBe(
      'Something new',
    );
    expect(issueText(t, { kind: 'ragged_row', message: 'The row has 2 of 8 fields' })).toBe(
      'The row has 2 of 8 fields',
    );
    expect(issueText(t, { kind: 'title_row', message: 'A title line above the header was skipped' })).toBe(
      '表头上方的一行标题已跳过',
    );
  });

  it('has words for every issue kind the report names', () => {
    const kinds = Object.keys(zhCN.datastore.enums.issue).sort();
    expect(Object.keys(zhCN.datastore.issueText).sort()).toEqual(kinds);
  });
});

describe('summaries and load errors', () => {
  const widened = {
    column: '人数',
    from: 'integer',
    to: 'text',
    count: 1,
    examples: [{ id: 7, value: 'abc' }],
  };

  it('says which column an append widened and why', async () => {
    expect(typeChangeText(await translator('zh-CN'), widened)).toBe(
      '“人数”由整数改为文本：有 1 个值不是整数（_id 7：abc）',
    );
    expect(typeChangeText(await translator('en'), { ...widened, count: 2 }, 'Staff')).toBe(
      '“Staff” changed from Integer to Text: 2 values did not fit Integer (_id 7: abc)',
    );
    const located = { ...widened, examples: [{ id: 7, value: 'abc', row: 2 }] };
    expect(typeChangeText(await translator('zh-CN'), located)).toBe(
      '“人数”由整数改为文本：有 1 个值不是整数（第 2 行，_id 7：abc）',
    );
  });

  it('counts rows in the right grammatical number', async () => {
    const t = await translator('en');
    expect(t('datastore.report.removed', { count: 1 })).toBe('1 row removed');
    expect(t('datastore.report.removed', { count: 2 })).toBe('2 rows removed');
    expect((await translator('zh-CN'))('datastore.report.removed', { count: 1 })).toBe('删除 1 行');
  });

  it('lists the rows an upsert found without a key', async () => {
    const error = {
      code: 'datastore.upsert_key_missing',
      details: { key: ['统一社会信用代码'], rows: [6, 9], count: 3 },
    };
    expect(loadErrorDetail(await translator('zh-CN'), error)).toContain(
      '有 3 行的关键列“统一社会信用代码”为空（文件第 6, 9, … 行）',
    );
    expect(
      loadErrorDetail(await translator('en'), {
        ...error,
        details: { ...error.details, rows: [6], count: 1 },
      }),
    ).toContain('1 row has no value in the key column “统一社会信用代码” (row 6 of the file)');
    expect(loadErrorDetail(await translator('en'), { code: 'datastore.no_rows' })).toBeNull();
  });

  it('says what a file named .xlsx really is, and which unsupported format a file is', async () => {
    const zh = await translator('zh-CN');
    const en = await translator('en');
    const csv = { code: 'datastore.bad_xlsx', details: { fileName: 'a.xlsx', content: 'csv' } };
    expect(loadErrorDetail(zh, csv)).toContain('内容是文本（CSV');
    expect(loadErrorDetail(en, csv)).toContain('Rename it to .csv');
    expect(loadErrorDetail(zh, { ...csv, details: { content: 'html' } })).toContain('网页');
    expect(loadErrorDetail(en, { ...csv, details: { content: 'xml2003' } })).toContain('Excel 2003 XML');
    expect(loadErrorDetail(en, { ...csv, details: { content: 'unknown' } })).toBeNull();
    const xls = { code: 'datastore.unsupported_format', details: { extension: '.xls' } };
    expect(loadErrorDetail(zh, xls)).toContain('Excel 97–2003 工作簿（.xls）');
    expect(loadErrorDetail(en, { ...xls, details: { extension: '.pages' } })).toBeNull();
  });
});

describe('rowNumbering', () => {
  it('says the rows are the file’s own, naming the header row, in both languages', async () => {
    const zh = await translator('zh-CN');
    const en = await translator('en');
    expect(rowNumbering(zh, { format: 'csv', headerRow: 3 })).toContain('表头在第 3 行');
    expect(rowNumbering(en, { format: 'csv', headerRow: 1 })).toContain(
      'the first line of the file is row 1',
    );
    expect(rowNumbering(en, { format: 'xlsx', headerRow: 2 })).toContain(
      'as Excel shows them: the header is row 2',
    );
  });

  it('says older reports and JSON files count otherwise', async () => {
    const en = await translator('en');
    expect(rowNumbering(en, { format: 'csv' })).toBe(
      'Row numbers count data rows: row 1 is the first row after the header.',
    );
    expect(rowNumbering(en, { format: 'parquet' })).toBe('Row numbers count the file’s records from 1.');
    expect(rowNumbering(en, { format: 'ndjson' })).toContain('the first line is row 1');
    expect(rowNumbering(en, { format: 'json' })).toContain('the first element is row 1');
    const zh = await translator('zh-CN');
    expect(rowNumbering(zh, { format: 'ndjson' })).toContain('文件第一行为第 1 行');
    expect(rowNumbering(zh, { format: 'json' })).toContain('第一个元素为第 1 行');
  });
});
