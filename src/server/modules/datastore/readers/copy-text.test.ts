import { describe, expect, it } from 'vitest';
import { copyOptionsFor, encodeCopyText } from './copy-text.ts';
import type { Sniffed } from './types.ts';

const sniffed = (over: Partial<Sniffed>): Sniffed => ({
  encoding: 'utf-8',
  bomBytes: 0,
  delimiter: ',',
  quote: '"',
  newline: '\n',
  headerOffset: 0,
  dataOffset: 10,
  titleRows: [],
  labels: ['a'],
  columnCount: 1,
  ...over,
});

describe('encodeCopyText', () => {
  it('escapes what COPY text format treats specially and writes NULL as \\N', () => {
    expect(encodeCopyText(['a\tb', null, 'c\\d', 'line\nbreak\r', 'nul\0gone', '', '岚山'])).toBe(
      'a\\tb\t\\N\tc\\\\d\tline\\nbreak\\r\tnulgone\t\t岚山\n',
    );
  });
});

describe('copyOptionsFor', () => {
  it('lets PostgreSQL convert GB18030 but decodes it in Node for PGlite', () => {
    expect(copyOptionsFor(sniffed({ encoding: 'gb18030' }), 'postgres')).toEqual({
      sqlOptions: `FORMAT csv, DELIMITER ',', QUOTE '"', ENCODING 'GB18030'`,
      needsNodeDecode: false,
    });
    const pglite = copyOptionsFor(sniffed({ encoding: 'gb18030' }), 'pglite');
    expect(pglite.needsNodeDecode).toBe(true);
    expect(pglite.sqlOptions).not.toContain('GB18030');
  });

  it('always decodes UTF-16 in Node and quotes tab and apostrophe delimiters safely', () => {
    const opts = copyOptionsFor(sniffed({ encoding: 'utf-16le', delimiter: '\t', quote: "'" }), 'postgres');
    expect(opts).toEqual({
      sqlOptions: `FORMAT csv, DELIMITER E'\\t', QUOTE '''', ENCODING 'UTF8'`,
      needsNodeDecode: true,
    });
  });
});
