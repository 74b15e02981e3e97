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

describe('issueText', () => {
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
    expect(rowNumbering(en, { format: 'ndjson' })).toBe('Row numbers count the file’s records from 1.');
  });
});
