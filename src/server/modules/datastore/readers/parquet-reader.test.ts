import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError } from './errors.ts';
import { openRows } from './index.ts';
import { DECIMAL_LABELS, DECIMAL_ROWS, decimalParquet } from './parquet-decimal.test-support.ts';
import { collect, scratch } from './test-support.ts';

let dir: Awaited<ReturnType<typeof scratch>>;
beforeAll(async () => {
  dir = await scratch();
});
afterAll(() => dir.cleanup());

describe('openRows on Parquet', () => {
  it('reads every row group with values as text: exact integers, ISO dates and timestamps, clean floats', async () => {
    const n = 2500;
    const buffer = parquetWriteBuffer({
      rowGroupSize: 1000,
      columnData: [
        {
          name: '名称',
          data: Array.from({ length: n }, (_, i) => (i === 1 ? null : `企业${i}`)),
          type: 'STRING',
        },
        {
          name: 'id',
          data: BigInt64Array.from({ length: n }, (_, i) => 9007199254740993n + BigInt(i)),
          type: 'INT64',
        },
        { name: 'ratio', data: Array.from({ length: n }, (_, i) => (i === 0 ? 0.1 : i / 4)), type: 'FLOAT' },
        { name: 'amount', data: Array.from({ length: n }, (_, i) => (i === 0 ? 1e-7 : 0.5)), type: 'DOUBLE' },
        { name: 'active', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
        {
          name: 'updated',
          data: Array.from({ length: n }, () => new Date(Date.UTC(2023, 4, 21, 10, 30))),
          type: 'TIMESTAMP',
        },
        { name: 'tags', data: Array.from({ length: n }, () => ({ a: 1 })), type: 'JSON' },
      ],
      schema: undefined,
    });
    const file = await dir.file('data.parquet', Buffer.from(buffer));
    const reader = await openRows(file, { format: 'parquet' });
    expect(reader.labels).toEqual(['名称', 'id', 'ratio', 'amount', 'active', 'updated', 'tags']);
    const rows = await collect(reader);
    expect(rows).toHaveLength(n);
    expect(rows[0]).toEqual([
      '企业0',
      '9007199254740993',
      '0.1',
      '0.0000001',
      'true',
      '2023-05-21T10:30:00',
      '{"a":1}',
    ]);
    expect(rows[1]![0]).toBeNull();
    expect(rows[n - 1]![1]).toBe(String(9007199254740993n + BigInt(n - 1)));
    expect(reader.bytesRead()).toBeGreaterThan(0);
  });

  it('reads DATE and DECIMAL columns as exact text', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'day', data: [19498, null] },
        { name: 'price', data: [123.45, -0.05] },
      ],
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'day', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
        {
          name: 'price',
          type: 'INT32',
          converted_type: 'DECIMAL',
          scale: 2,
          precision: 9,
          repetition_type: 'REQUIRED',
        },
      ],
    });
    const reader = await openRows(await dir.file('typed.parquet', Buffer.from(buffer)), {
      format: 'parquet',
    });
    expect(await collect(reader)).toEqual([
      ['2023-05-21', '123.45'],
      [null, '-0.05'],
    ]);
  });

  it('reads every DECIMAL exactly, beyond the 15 digits a double holds', async () => {
    const reader = await openRows(await dir.file('decimals.parquet', decimalParquet()), {
      format: 'parquet',
    });
    expect(reader.labels).toEqual(DECIMAL_LABELS);
    expect(await collect(reader)).toEqual(DECIMAL_ROWS);
  });

  it('decodes byte arrays without a STRING annotation as UTF-8 text, also inside groups', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'raw', data: [new TextEncoder().encode('岚山区'), null] },
        { name: 'addr', data: [{ city: new TextEncoder().encode('青河') }, { city: null }] },
      ],
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'raw', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
        { name: 'addr', num_children: 1, repetition_type: 'REQUIRED' },
        { name: 'city', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
      ],
    });
    const reader = await openRows(await dir.file('bytes.parquet', Buffer.from(buffer)), {
      format: 'parquet',
    });
    expect(await collect(reader)).toEqual([
      ['岚山区', '{"city":"青河"}'],
      [null, '{"city":null}'],
    ]);
  });

  it('rejects a damaged file', async () => {
    const file = await dir.file('bad.parquet', Buffer.from('PAR1 this is not really parquet PAR1'));
    await expect(openRows(file, { format: 'parquet' })).rejects.toBeInstanceOf(LoadError);
    await expect(openRows(file, { format: 'parquet' })).rejects.toMatchObject({
      code: 'datastore.bad_parquet',
    });
  });
});
