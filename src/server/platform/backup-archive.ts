import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

// The backup file is a plain .tar.gz (ustar) so that operators can inspect it with `tar tzvf`.
// A small reader and writer live here instead of a dependency: backups need only regular files,
// and the reader must be strict (header checksums, exact sizes, end marker) to refuse damage.

const BLOCK = 512;

export class ArchiveError extends Error {}

/** A backup that cannot be used, or a tool it needs is missing; nothing was changed when this is thrown. */
export class BackupError extends Error {}

/** One regular file to put in an archive: bytes in memory or a file on disk. */
export interface ArchiveInput {
  name: string;
  source: { bytes: Uint8Array } | { file: string };
  mode?: number;
}

export interface ArchiveEntry {
  name: string;
  size: number;
  mode: number;
}

function writeOctal(header: Buffer, offset: number, length: number, value: number) {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

function header(name: string, size: number, mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length <= 100) {
    bytes.copy(h, 0);
  } else {
    // ustar splits long names at a '/' into prefix (155) and name (100).
    const cut = name.lastIndexOf('/', 155);
    const prefix = Buffer.from(name.slice(0, cut), 'utf8');
    const rest = Buffer.from(name.slice(cut + 1), 'utf8');
    if (cut <= 0 || prefix.length > 155 || rest.length > 100)
      throw new ArchiveError(`Path too long for the archive: ${name}`);
    rest.copy(h, 0);
    prefix.copy(h, 345);
  }
  writeOctal(h, 100, 8, mode & 0o7777);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  if (size < 8 ** 11) {
    writeOctal(h, 124, 12, size);
  } else {
    // GNU base-256 size for files of 8 GiB and more.
    h[124] = 0x80;
    h.writeBigUInt64BE(BigInt(size), 128);
  }
  writeOctal(h, 136, 12, Math.floor(mtime / 1000));
  h.write('0', 156, 1, 'ascii'); // regular file
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/** Writes a gzip-compressed tar of `inputs` to `file`, streaming files from disk. */
export async function writeTarGz(file: string, inputs: ArchiveInput[]): Promise<void> {
  const now = Date.now();
  async function* blocks() {
    for (const input of inputs) {
      if ('bytes' in input.source) {
        const data = input.source.bytes;
        yield header(input.name, data.length, input.mode ?? 0o644, now);
        yield data;
        yield padding(data.length);
      } else {
        const size = fs.statSync(input.source.file).size;
        yield header(input.name, size, input.mode ?? 0o644, now);
        let written = 0;
        for await (const chunk of fs.createReadStream(input.source.file)) {
          written += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        if (written !== size)
          throw new ArchiveError(`${input.source.file} changed while it was being archived`);
        yield padding(size);
      }
    }
    yield Buffer.alloc(BLOCK * 2);
  }
  await pipeline(blocks, createGzip({ level: 6 }), fs.createWriteStream(file, { mode: 0o600 }));
}

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Buffer>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        this.buffered.push(next.value);
        this.length += next.value.length;
      }
    }
    return this.length >= n;
  }

  /** Up to `max` bytes (at least one), or undefined at the end of the stream. */
  async some(max: number): Promise<Buffer | undefined> {
    if (!(await this.fill(1))) return undefined;
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = all.subarray(0, Math.min(max, all.length));
    const rest = all.subarray(out.length);
    this.buffered = rest.length ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  async exact(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new ArchiveError('the archive is truncated');
    const all = Buffer.concat(this.buffered);
    this.buffered = all.length > n ? [all.subarray(n)] : [];
    this.length = all.length - n;
    return all.subarray(0, n);
  }
}

function parseOctal(h: Buffer, offset: number, length: number): number {
  if (h[offset]! & 0x80) return Number(h.readBigUInt64BE(offset + length - 8));
  const text = h
    .toString('ascii', offset, offset + length)
    .replace(/[\0 ]+$/g, '')
    .trim();
  if (!/^[0-7]*$/.test(text)) throw new ArchiveError('the archive has a damaged header');
  return text ? Number.parseInt(text, 8) : 0;
}

function parseHeader(h: Buffer): ArchiveEntry & { type: string } {
  const stored = parseOctal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  if (sum !== stored) throw new ArchiveError('the archive has a damaged header (checksum mismatch)');
  const cstr = (offset: number, length: number) => {
    const raw = h.subarray(offset, offset + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? length : end).toString('utf8');
  };
  const prefix = h.toString('ascii', 257, 262) === 'ustar' ? cstr(345, 155) : '';
  const name = prefix ? `${prefix}/${cstr(0, 100)}` : cstr(0, 100);
  return {
    name,
    size: parseOctal(h, 124, 12),
    mode: parseOctal(h, 100, 8),
    type: String.fromCharCode(h[156] || 0x30),
  };
}

/**
 * Reads a tar stream strictly: every header checksum, every byte of every entry and the end marker
 * must be there. `onEntry` receives each entry's bytes as chunks and must consume them.
 */
export async function readTar(
  chunks: AsyncIterable<Buffer>,
  onEntry: (entry: ArchiveEntry & { type: string }, data: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const reader = new ByteReader(chunks[Symbol.asyncIterator]());
  for (;;) {
    const block = await reader.exact(BLOCK);
    if (block.every((b) => b === 0)) {
      await reader.exact(BLOCK); // the second zero block of the end marker
      return;
    }
    const entry = parseHeader(block);
    let remaining = entry.size;
    let consumed = false;
    async function* data() {
      consumed = true;
      while (remaining > 0) {
        const chunk = await reader.some(Math.min(remaining, 1 << 20));
        if (!chunk) throw new ArchiveError('the archive is truncated');
        remaining -= chunk.length;
        yield chunk;
      }
    }
    await onEntry(entry, data());
    if (!consumed || remaining > 0)
      for await (const _ of data()) {
        /* skip unread bytes */
      }
    await reader.exact(padding(entry.size).length);
  }
}

/** Reads a .tar.gz file strictly; gzip's own CRC catches damage inside the compressed data. */
export async function readTarGz(
  file: string,
  onEntry: (entry: ArchiveEntry & { type: string }, data: AsyncIterable<Buffer>) => Promise<void>,
): Promise<void> {
  const stream = fs.createReadStream(file).pipe(createGunzip());
  try {
    await readTar(stream, onEntry);
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || (err as Error).message.includes('unexpected end of file')) {
      throw new ArchiveError('the archive is truncated');
    }
    if (code?.startsWith('Z_')) throw new ArchiveError(`the archive is damaged (${(err as Error).message})`);
    throw err;
  } finally {
    stream.destroy();
  }
}

/** Writes an entry's chunks to `file`, returning its size and sha256. */
export async function saveEntry(
  data: AsyncIterable<Buffer>,
  file: string,
): Promise<{ size: number; sha256: string }> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  const out = fs.createWriteStream(file, { mode: 0o600 });
  await pipeline(async function* () {
    for await (const chunk of data) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }, out);
  return { size, sha256: hash.digest('hex') };
}

/** sha256 hex of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
