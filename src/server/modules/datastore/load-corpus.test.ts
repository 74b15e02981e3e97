import { describe, expect, it } from 'vitest';
import { corpusTable, xlsxBomb } from './load-corpus.test-helpers.ts';

// The bad-input corpus through the real path: upload to POST /api/datastore/:id/loads, run the queued
// job, read the outcome from the API. A refused file fails with a stable datastore.* code and leaves
// the current version (version 1) answering (this file); an accepted one reports what it found and
// repaired, and its values arrive intact (load-corpus-accepted.test.ts).

const { upload, info, search, rows, versionTables, stagingTables } = corpusTable();

describe('refused files: a clear error, and version 1 keeps answering', () => {
  const refused: [string, string, () => Buffer | string, Record<string, unknown>?][] = [
    ['an empty file', 'empty.csv', () => '', { fileName: 'empty.csv' }],
    ['a header without rows', 'header.csv', () => '区,人口\r\n', { columns: 2 }],
    [
      'binary junk',
      'junk.csv',
      () => Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 2654435761) % 251)),
    ],
    ['an XLSX zip bomb', 'bomb.xlsx', xlsxBomb, { entry: 'xl/worksheets/sheet1.xml' }],
    [
      '20,000 columns',
      'wide.csv',
      () => {
        const header = Array.from({ length: 20_000 }, (_, i) => `col${i}`).join(',');
        return `${header}\n${header}\n`;
      },
      { columns: 20_000, maxColumns: 1600 },
    ],
    ['a UTF-32 (LE) BOM', 'utf32.csv', () => Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0, 0x0a, 0, 0, 0])],
    ['a UTF-32 (BE) BOM', 'utf32be.csv', () => Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61, 0, 0, 0, 0x0a])],
    ['an .xls workbook', 'old.xls', () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ['a .parquet that is not Parquet', 'fake.parquet', () => 'a,b\n1,2\n'],
    ['broken JSON', 'broken.json', () => '[{"a": 1}, {"a": '],
  ];
  const CODES: Record<string, string> = {
    'an empty file': 'datastore.empty_file',
    'a header without rows': 'datastore.no_rows',
    'binary junk': 'datastore.binary_file',
    'an XLSX zip bomb': 'datastore.zip_bomb',
    '20,000 columns': 'datastore.too_many_columns',
    'a UTF-32 (LE) BOM': 'datastore.unsupported_encoding',
    'a UTF-32 (BE) BOM': 'datastore.unsupported_encoding',
    'an .xls workbook': 'datastore.unsupported_format',
    'a .parquet that is not Parquet': 'datastore.bad_parquet',
    'broken JSON': 'datastore.bad_json',
  };

  it.each(refused)('%s', async (what, filename, content, details) => {
    const tablesBefore = await versionTables();
    const started = Date.now();
    const load = await upload(filename, content());
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(load).toMatchObject({ status: 'failed', version: null, report: null });
    expect(load.error?.code, load.error?.message).toBe(CODES[what]);
    expect(load.error?.message).toBeTruthy();
    if (details) expect(load.error?.details).toMatchObject(details);
    // Version 1 is still current and whole, for the steward and for the public alike.
    const now = await info();
    expect(now).toMatchObject({ currentVersion: 1, rows: 2 });
    expect(now.lastLoad).toMatchObject({ id: load.id, status: 'failed' });
    expect(now.columns.map((c) => c.id)).toEqual(['区', '人口']);
    expect(await rows()).toEqual([
      { 区: '东港区', 人口: 1 },
      { 区: '西岭区', 人口: 2 },
    ]);
    expect((await search({ filters: JSON.stringify({ 区: '西岭区' }) })).total).toBe(1);
    expect(await versionTables()).toBe(tablesBefore);
    expect(await stagingTables()).toBe(0);
  });
});
