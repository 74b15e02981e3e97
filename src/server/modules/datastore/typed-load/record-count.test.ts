import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleWindows } from './parts.ts';
import { countRecords } from './record-count.ts';

// countRecords numbers the second part of a file before the first has been read: it must count the
// records COPY would read (line feeds outside quotes), through quoted line breaks, doubled quotes,
// CRLF and the 4 MB chunks it reads, and say when a stretch ends inside a quoted field.

let dir = '';
let fileNo = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'record-count-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeTemp(content: string | Buffer): string {
  const file = path.join(dir, `f${++fileNo}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

/** A field as a CSV writer writes it: quoted (quotes doubled) when it holds a quote, comma or line break. */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

const cell = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('"', '""', '\n', '\r\n', 'a,b', '岚山\n市', '他说"好"', ''),
);
const records = fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 0, maxLength: 30 });

describe('countRecords', () => {
  it('counts the records of any CSV as written, whatever its fields hold', async () => {
    await fc.assert(
      fc.asyncProperty(records, fc.boolean(), async (rows, crlf) => {
        const lines = rows.map((r) => r.map(csvField).join(','));
        const text = lines.map((l) => `${l}${crlf ? '\r\n' : '\n'}`).join('');
        const file = writeTemp(text);
        const counted = await countRecords(file, 0, Buffer.byteLength(text), '"');
        expect(counted).toEqual({ records: rows.length, inQuote: false });
      }),
      { numRuns: 300 },
    );
  });

  it('counts the records before any record boundary, and knows a cut inside a quoted field', async () => {
    const lines = ['1,"两行\n备注",x', '2,"他说""好""",y', '3,"a\nb\nc",z', '4,plain,w'];
    const text = `${lines.join('\n')}\n`;
    const file = writeTemp(text);
    let before = 0;
    for (const line of lines) {
      before += Buffer.byteLength(line) + 1;
      const index = lines.indexOf(line);
      expect(await countRecords(file, 0, before, '"')).toEqual({ records: index + 1, inQuote: false });
    }
    // Just after the line feed inside the first quoted field.
    const inside = Buffer.byteLength('1,"两行\n');
    expect(await countRecords(file, 0, inside, '"')).toEqual({ records: 0, inQuote: true });
  });

  it('reads across its 4 MB chunks, with a quoted line break on the boundary', async () => {
    const head = `${'x,y\n'.repeat(1_048_575)}"a`;
    // The quoted field's line feed is the chunk's last byte, its closing quote the next chunk's first.
    const text = `${head}${'\n'.padStart(4 * 1024 * 1024 - Buffer.byteLength(head), 'b')}",z\nlast,row\n`;
    expect(text.indexOf('\n', 4 * 1024 * 1024 - 1)).toBe(4 * 1024 * 1024 - 1);
    const file = writeTemp(text);
    const counted = await countRecords(file, 0, Buffer.byteLength(text), '"');
    expect(counted).toEqual({ records: 1_048_575 + 2, inQuote: false });
  });

  it('honours another quote character', async () => {
    const file = writeTemp("1,'a\nb'\n2,c\n");
    expect(await countRecords(file, 0, 12, "'")).toEqual({ records: 2, inQuote: false });
  });
});

describe('sampleWindows', () => {
  it('spreads stretches that start at the data and after line feeds, without overlapping', async () => {
    const text = `h1,h2\n${Array.from({ length: 5000 }, (_, i) => `${i},值${i}`).join('\n')}\n`;
    const file = writeTemp(text);
    const shape = { dataOffset: 6, delimiter: ',', quote: '"', columnCount: 2 };
    const windows = await sampleWindows(file, shape, 4, 1024);
    expect(windows).toHaveLength(4);
    expect(windows[0]!.dataOffset).toBe(6);
    const buf = fs.readFileSync(file);
    let previousEnd = 0;
    for (const w of windows) {
      expect(buf[w.dataOffset - 1]).toBe(10);
      expect(buf[w.end! - 1]).toBe(10);
      expect(w.end! - w.dataOffset).toBeGreaterThanOrEqual(1024);
      expect(w.dataOffset).toBeGreaterThanOrEqual(previousEnd);
      previousEnd = w.end!;
    }
    // A file smaller than the sample is read whole.
    expect(await sampleWindows(file, shape, 4, buf.length)).toEqual([{ ...shape, end: buf.length }]);
  });
});
