import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../errors.ts';

/** What storing a file yields: where it is and what it is. */
export interface StoredFile {
  key: string;
  sizeBytes: number;
  /** sha256 hex of the bytes. */
  checksum: string;
}

/**
 * Uploaded files in a local directory (shared storage when several nodes run). A file is streamed to
 * a temporary name while its size is counted and its hash computed, and renamed into place only when
 * complete: a crash or a refused upload leaves no half-written file under a real key.
 */
export class FileStore {
  constructor(
    private readonly root: string,
    private readonly maxBytes: number,
  ) {}

  /** Streams `source` into the store; refuses it with 413 once it passes the size limit. */
  async put(source: Readable | Buffer): Promise<StoredFile> {
    const key = this.newKey();
    const target = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const temp = `${target}.part`;
    const hash = createHash('sha256');
    let size = 0;
    const limit = this.maxBytes;
    try {
      const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(source) ? [source] : source;
      await pipeline(
        chunks,
        async function* (input: AsyncIterable<Buffer> | Iterable<Buffer>) {
          for await (const chunk of input) {
            size += chunk.length;
            if (size > limit) throw tooLarge(limit);
            hash.update(chunk);
            yield chunk;
          }
        },
        fs.createWriteStream(temp, { flags: 'wx', mode: 0o640 }),
      );
      await fs.promises.rename(temp, target);
    } catch (err) {
      await fs.promises.rm(temp, { force: true });
      throw err;
    }
    return { key, sizeBytes: size, checksum: hash.digest('hex') };
  }

  /** A stream of a stored file, or undefined when it is gone. */
  open(key: string): fs.ReadStream | undefined {
    const file = this.pathOf(key);
    if (!fs.existsSync(file)) return undefined;
    return fs.createReadStream(file);
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  // Two levels of fan-out keep directories small with millions of files.
  private newKey(): string {
    const id = randomUUID();
    return `${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;
  }

  /** The local path of a stored file (for readers that need random access: zip, Parquet). */
  pathOf(key: string): string {
    if (!/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f-]{36}$/.test(key)) throw new Error(`Bad storage key ${key}`);
    return path.join(this.root, key);
  }
}

const tooLarge = (limit: number) =>
  new AppError(
    'storage.too_large',
    413,
    `The file is larger than the limit of ${Math.round(limit / 1048576)} MB`,
    {
      limitBytes: limit,
    },
  );
