import { extname } from 'node:path';
import { assertText, detectEncoding } from './encoding.ts';
import { LoadError } from './errors.ts';
import { sniffDelimited } from './sniff.ts';
import type { SourceFormat } from './types.ts';

const BY_EXTENSION: Record<string, SourceFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.geojson': 'geojson',
  '.parquet': 'parquet',
};

const UNSUPPORTED: Record<string, string> = {
  '.xls': 'Excel 97–2003 workbooks (.xls) cannot be loaded; save the file as .xlsx',
  '.et': 'WPS spreadsheets (.et) cannot be loaded; save the file as .xlsx',
  '.ods': 'OpenDocument spreadsheets cannot be loaded; save the file as .xlsx or CSV',
  '.zip': 'Zip archives cannot be loaded; upload the files inside them',
};

/** Decides a file's format from its name and first bytes (magic numbers win over the extension). */
export function detectFormat(fileName: string, head: Buffer): SourceFormat {
  const ext = extname(fileName).toLowerCase();
  if (head.length === 0) throw new LoadError('datastore.empty_file', 'The file is empty', { fileName });
  const unsupported = UNSUPPORTED[ext];
  if (unsupported)
    throw new LoadError('datastore.unsupported_format', unsupported, { fileName, extension: ext });
  if (head.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'xlsx';
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new LoadError('datastore.unsupported_format', UNSUPPORTED['.xls']!, {
      fileName,
      extension: '.xls',
    });
  }
  const byExt = BY_EXTENSION[ext];
  if (byExt === 'xlsx') throw notAWorkbook(fileName, ext, head);
  if (byExt === 'parquet') {
    throw new LoadError(
      'datastore.bad_parquet',
      `The file is named ${ext} but its content is not a Parquet file`,
      {
        fileName,
      },
    );
  }
  const { encoding, bomBytes } = detectEncoding(head, false);
  if (encoding === 'utf-8' || encoding === 'gb18030') assertText(head.subarray(bomBytes));
  const text = new TextDecoder(encoding).decode(head.subarray(bomBytes, bomBytes + 65536)).trimStart();
  if (byExt === 'json' || byExt === 'ndjson' || byExt === 'geojson') return refineJson(byExt, text);
  if (text.startsWith('{') || text.startsWith('[')) return refineJson('json', text);
  if (byExt) return byExt;
  // .txt, .dat or no extension: delimited text, tab-separated if the sniffer says so.
  try {
    return sniffDelimited(head).delimiter === '\t' ? 'tsv' : 'csv';
  } catch (err) {
    if (err instanceof LoadError && err.code === 'datastore.no_rows') return 'csv';
    throw err;
  }
}

function refineJson(guess: SourceFormat, text: string): SourceFormat {
  if (guess !== 'json') return guess;
  if (text.startsWith('[')) return 'json';
  if (
    /^\{\s*"type"\s*:\s*"FeatureCollection"/.test(text) ||
    /"features"\s*:\s*\[/.test(text.slice(0, 4096))
  ) {
    return 'geojson';
  }
  // Two objects on consecutive lines make NDJSON; one object spread over lines is plain JSON.
  const lines = text.split('\n', 3).map((l) => l.trim());
  if (lines.length >= 2 && lines[0]!.endsWith('}') && lines[1]!.startsWith('{')) return 'ndjson';
  return 'json';
}

const NOT_A_WORKBOOK = {
  csv: 'text (CSV or tab-separated); rename it to .csv, or save it as .xlsx in Excel or WPS',
  html: 'a web page (HTML table), as some systems export; save it as .xlsx in Excel or WPS',
  xml2003: 'an Excel 2003 XML spreadsheet; save it as .xlsx in Excel or WPS',
  unknown: 'not a workbook; it may be damaged',
} as const;

/** A file named .xlsx that is not a zip: say what it is, since systems export CSV and HTML under that name. */
function notAWorkbook(fileName: string, ext: string, head: Buffer): LoadError {
  let content: keyof typeof NOT_A_WORKBOOK = 'unknown';
  const { encoding, bomBytes } = detectEncoding(head, false);
  const text = new TextDecoder(encoding).decode(head.subarray(bomBytes, bomBytes + 65536)).trimStart();
  if (
    /^<\?xml[^>]*>\s*(<\?mso-application[^>]*Excel|[\s\S]{0,2000}urn:schemas-microsoft-com:office:spreadsheet)/i.test(
      text,
    )
  )
    content = 'xml2003';
  else if (
    /^(<!doctype html|<html|<table|<meta|<head)/i.test(text) ||
    /<table[\s>]/i.test(text.slice(0, 4096))
  )
    content = 'html';
  else {
    try {
      if (encoding === 'utf-8' || encoding === 'gb18030') assertText(head.subarray(bomBytes));
      if (text.length > 0) content = 'csv';
    } catch {
      // binary: unknown
    }
  }
  return new LoadError(
    'datastore.bad_xlsx',
    `The file is named ${ext} but its content is ${NOT_A_WORKBOOK[content]}`,
    { fileName, content },
  );
}
