import { type Readable, Transform } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { LoadError } from './errors.ts';
import type { ReaderLimits } from './types.ts';

/** Entries smaller than this may compress as well as they like: they cannot exhaust anything. */
const RATIO_FLOOR_BYTES = 1024 * 1024;

/** A zip opened for random access whose central directory passed the bomb checks. */
export interface GuardedZip {
  entries: Map<string, Entry>;
  /** Streams one entry, counting inflated bytes against the limit. */
  open(name: string): Promise<Readable>;
  close(): void;
}

/**
 * Opens a zip and checks entry count, declared sizes and compression ratios before anything is
 * inflated; while streaming, yauzl rejects entries that inflate past their declared size and the
 * total is counted again here, so a lying header cannot get through either.
 */
export async function openGuardedZip(
  file: string,
  limits: ReaderLimits,
  badCode: 'datastore.bad_xlsx',
): Promise<GuardedZip> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (err, z) =>
      err
        ? reject(new LoadError(badCode, `The file is not a readable zip archive: ${err.message}`))
        : resolve(z),
    ),
  );
  const entries = new Map<string, Entry>();
  let declared = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err: Error) =>
        reject(new LoadError(badCode, `The zip archive is damaged: ${err.message}`)),
      );
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        if (entries.size >= limits.maxZipEntries) {
          reject(
            bomb(`The archive holds more than ${limits.maxZipEntries} entries`, {
              maxEntries: limits.maxZipEntries,
            }),
          );
          return;
        }
        declared += entry.uncompressedSize;
        const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
        if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio) {
          reject(
            bomb(`The entry ${entry.fileName} would inflate ${Math.round(ratio)} times its size`, {
              entry: entry.fileName,
              ratio: Math.round(ratio),
              maxRatio: limits.maxCompressionRatio,
            }),
          );
          return;
        }
        if (declared > limits.maxInflatedBytes) {
          reject(
            bomb(`The archive would inflate to more than ${limits.maxInflatedBytes} bytes`, { declared }),
          );
          return;
        }
        entries.set(entry.fileName.replace(/^\/+/, ''), entry);
        zip.readEntry();
      });
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }

  let inflated = 0;
  return {
    entries,
    close: () => zip.close(),
    open: async (name) => {
      const entry = entries.get(name);
      if (!entry) throw new LoadError(badCode, `The archive has no entry ${name}`, { entry: name });
      const raw = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, stream) =>
          err ? reject(new LoadError(badCode, err.message)) : resolve(stream),
        ),
      );
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          inflated += chunk.length;
          if (inflated > limits.maxInflatedBytes) {
            done(bomb(`The archive inflates to more than ${limits.maxInflatedBytes} bytes`, { inflated }));
          } else done(null, chunk);
        },
      });
      raw.on('error', (err: Error) =>
        counter.destroy(
          /too many bytes|too few bytes/.test(err.message)
            ? bomb(`The entry ${name} inflates to a different size than it declares`, { entry: name })
            : new LoadError(badCode, `The entry ${name} is damaged: ${err.message}`),
        ),
      );
      return raw.pipe(counter);
    },
  };
}

function bomb(message: string, details: Record<string, unknown>): LoadError {
  return new LoadError('datastore.zip_bomb', `${message}; loading stopped`, details);
}
