import { parquetWriteBuffer } from 'hyparquet-writer';

// A Parquet file with a DECIMAL column of every physical type, shared by the reader test and the
// full-load test: unscaled values are written as bigints, so nothing passes through a double.

const BIG = 12345678901234567890123456789012345678n;

/** Column labels of `decimalParquet()`. */
export const DECIMAL_LABELS = ['名称', 'd9_2', 'd18_4', 'd38_10', 'b38_10', 'logical'];

/** The rows `decimalParquet()` reads back as, every value exact. */
export const DECIMAL_ROWS = [
  [
    '岚山',
    '123.45',
    '12345678901234.5678',
    '1234567890123456789012345678.9012345678',
    '1234567890123456789012345678.9012345678',
    '1.25',
  ],
  [
    '青河',
    '-0.05',
    '-0.0001',
    '-1234567890123456789012345678.9012345678',
    '-1234567890123456789012345678.9012345678',
    '-1.25',
  ],
  ['东港', '0.00', '0.0000', '0.0000000000', '0.0000000000', '0.00'],
  ['西岭', null, null, null, null, null],
  ['北川', '-21474836.48', '-92233720368547.7580', '-0.0000000001', '-0.0000000001', '0.01'],
  [
    '南湖',
    '21474836.47',
    '99999999999999.9999',
    '9999999999999999999999999999.9999999999',
    '0.0000000128',
    '-0.01',
  ],
];

const optional = { repetition_type: 'OPTIONAL' } as const;

/** DECIMAL(9,2) INT32, DECIMAL(18,4) INT64, DECIMAL(38,10) FIXED_LEN_BYTE_ARRAY(16) and BYTE_ARRAY, and a logical-type-only DECIMAL(9,2). */
export function decimalParquet(): Buffer {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: '名称', data: ['岚山', '青河', '东港', '西岭', '北川', '南湖'] },
      { name: 'd9_2', data: [12345n, -5n, 0n, null, -2147483648n, 2147483647n] },
      {
        name: 'd18_4',
        data: [123456789012345678n, -1n, 0n, null, -922337203685477580n, 999999999999999999n],
      },
      { name: 'd38_10', data: [BIG, -BIG, 0n, null, -1n, 10n ** 38n - 1n] },
      // Minimal two's complement: 0 is no bytes, -1 is 0xFF (not UTF-8), 128 needs 0x00 before 0x80.
      { name: 'b38_10', data: [BIG, -BIG, 0n, null, -1n, 128n] },
      // Without the converted type hyparquet does not scale it at all: the reader must.
      { name: 'logical', data: [125, -125, 0, null, 1, -1] },
    ],
    schema: [
      { name: 'root', num_children: 6 },
      { name: '名称', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'd9_2', type: 'INT32', converted_type: 'DECIMAL', precision: 9, scale: 2, ...optional },
      { name: 'd18_4', type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 4, ...optional },
      {
        name: 'd38_10',
        type: 'FIXED_LEN_BYTE_ARRAY',
        type_length: 16,
        converted_type: 'DECIMAL',
        precision: 38,
        scale: 10,
        ...optional,
      },
      {
        name: 'b38_10',
        type: 'BYTE_ARRAY',
        converted_type: 'DECIMAL',
        precision: 38,
        scale: 10,
        ...optional,
      },
      {
        name: 'logical',
        type: 'INT32',
        logical_type: { type: 'DECIMAL', precision: 9, scale: 2 },
        ...optional,
      },
    ],
  });
  return Buffer.from(buffer);
}
