import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { Parser } from 'htmlparser2';
import { LoadError } from './errors.ts';
import { type PaddedFormat, paddedFormat } from './xlsx-number-format.ts';
import { type NumberKind, numberKind, unescapeOoxml } from './xlsx-values.ts';
import type { GuardedZip } from './zip-guard.ts';

export interface SheetRef {
  name: string;
  path: string;
  hidden: boolean;
}

/** What a sheet's cells need from the rest of the workbook. */
export interface Workbook {
  sheets: SheetRef[];
  date1904: boolean;
  sharedStrings: string[];
  /** Number kind of each cell style (`s` attribute) index. */
  styleKinds: NumberKind[];
  /** Per cell style index: how a number shows under a zero-padding format (`000000`), when it has one. */
  stylePadding: (PaddedFormat | undefined)[];
}

export interface XmlHandler {
  open?(name: string, attrs: Record<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** Element name without its namespace prefix (some writers use `x:c`). */
function local(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** Streams an XML entry through callbacks with prefix-free element names. */
export async function parseXml(stream: Readable, handler: XmlHandler, signal?: AbortSignal): Promise<void> {
  let failure: Error | undefined;
  const parser = new Parser(
    {
      onopentag: (name, attrs) => handler.open?.(local(name), attrs),
      onclosetag: (name) => handler.close?.(local(name)),
      ontext: (text) => handler.text?.(text),
      onerror: (err) => {
        failure = err;
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) {
    if (signal?.aborted) {
      stream.destroy();
      throw signal.reason;
    }
    parser.write(decoder.decode(chunk as Buffer, { stream: true }));
    if (failure) throw failure;
  }
  parser.end(decoder.decode());
  if (failure) throw failure;
}

async function parseEntry(zip: GuardedZip, name: string, handler: XmlHandler): Promise<void> {
  await parseXml(await zip.open(name), handler);
}

/** Reads the workbook structure: sheet names and paths, date system, shared strings and cell styles. */
export async function loadWorkbook(zip: GuardedZip): Promise<Workbook> {
  const workbookPath =
    (await relationships(zip, '_rels/.rels')).byType('officeDocument') ?? 'xl/workbook.xml';
  if (!zip.entries.has(workbookPath)) {
    throw new LoadError('datastore.bad_xlsx', 'The file is a zip archive but not an Excel workbook (.xlsx)');
  }
  const dir = posix.dirname(workbookPath);
  const rels = await relationships(zip, `${dir}/_rels/${posix.basename(workbookPath)}.rels`);
  const listed: { name: string; rid: string; hidden: boolean }[] = [];
  let date1904 = false;
  await parseEntry(zip, workbookPath, {
    open(name, attrs) {
      if (name === 'workbookPr') date1904 = attrs.date1904 === '1' || attrs.date1904 === 'true';
      if (name === 'sheet') {
        const rid = attrs['r:id'] ?? Object.entries(attrs).find(([k]) => k.endsWith(':id'))?.[1] ?? '';
        listed.push({ name: attrs.name ?? '', rid, hidden: (attrs.state ?? 'visible') !== 'visible' });
      }
    },
  });
  const sheets: SheetRef[] = [];
  for (const sheet of listed) {
    const rel = rels.byId.get(sheet.rid);
    // Chart sheets have no cells.
    if (!rel?.type.endsWith('/worksheet')) continue;
    sheets.push({ name: sheet.name, path: resolve(dir, rel.target), hidden: sheet.hidden });
  }
  const sharedPath = rels.byType('sharedStrings');
  const stylesPath = rels.byType('styles');
  const styles =
    stylesPath && zip.entries.has(stylesPath)
      ? await cellStyles(zip, stylesPath)
      : { kinds: [], padding: [] };
  return {
    sheets,
    date1904,
    sharedStrings: sharedPath && zip.entries.has(sharedPath) ? await sharedStrings(zip, sharedPath) : [],
    styleKinds: styles.kinds,
    stylePadding: styles.padding,
  };
}

function resolve(dir: string, target: string): string {
  return target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(dir, target));
}

async function relationships(zip: GuardedZip, path: string) {
  const byId = new Map<string, { type: string; target: string }>();
  if (zip.entries.has(path)) {
    await parseEntry(zip, path, {
      open(name, attrs) {
        if (name === 'Relationship' && attrs.Id && attrs.Target) {
          byId.set(attrs.Id, { type: attrs.Type ?? '', target: attrs.Target });
        }
      },
    });
  }
  const base = path.startsWith('_rels/') ? '' : posix.dirname(posix.dirname(path));
  return {
    byId,
    byType(suffix: string): string | undefined {
      for (const rel of byId.values()) if (rel.type.endsWith(`/${suffix}`)) return resolve(base, rel.target);
      return undefined;
    },
  };
}

async function sharedStrings(zip: GuardedZip, path: string): Promise<string[]> {
  const strings: string[] = [];
  let parts: string[] = [];
  let inText = false;
  let phonetic = 0;
  await parseEntry(zip, path, {
    open(name) {
      if (name === 'si') parts = [];
      else if (name === 't') inText = phonetic === 0;
      else if (name === 'rPh') phonetic++;
    },
    close(name) {
      if (name === 't') inText = false;
      else if (name === 'rPh') phonetic--;
      else if (name === 'si') strings.push(unescapeOoxml(parts.join('')));
    },
    text(text) {
      if (inText) parts.push(text);
    },
  });
  return strings;
}

async function cellStyles(
  zip: GuardedZip,
  path: string,
): Promise<{ kinds: NumberKind[]; padding: (PaddedFormat | undefined)[] }> {
  const codes = new Map<number, string>();
  const formatIds: number[] = [];
  let inCellXfs = false;
  await parseEntry(zip, path, {
    open(name, attrs) {
      if (name === 'numFmt') codes.set(Number(attrs.numFmtId), attrs.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) formatIds.push(Number(attrs.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  const kinds = formatIds.map((id) => numberKind(id, codes.get(id)));
  // Built-in formats (ids below 164) never pad with zeros; only codes the workbook spells out can.
  const compiled = new Map<number, PaddedFormat | undefined>();
  const padding = formatIds.map((id, i) => {
    if (kinds[i] !== 'number') return undefined;
    if (!compiled.has(id)) compiled.set(id, paddedFormat(codes.get(id)));
    return compiled.get(id);
  });
  return { kinds, padding };
}
