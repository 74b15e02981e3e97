import { Readable } from 'node:stream';
import { type RawBuilder, sql } from 'kysely';
import type { DictionaryColumn } from '../../../contracts/datastore.ts';
import { normalizeIdentifier } from '../../../contracts/identifiers.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db.ts';
import { enqueue, type JobRun } from '../../platform/jobs/index.ts';
import { findDatastoreTable } from '../datastore/index.ts';
import { findExtract, updateExtract } from './extract.repository.ts';
import { type Projection, projectGrant } from './grant-projection.ts';
import { findGrantForUse } from './subscription.repository.ts';

// Writing a file extract: the grant's projection of the table (granted columns, masked as the
// dictionary says, the grant's row filter) read in pages by _id and streamed into the file store,
// so memory holds one page whatever the table's size. The data-subject columns the projection
// carries never reach the file: they become keyed blind indexes, kept in a file beside the extract,
// which every download writes to the access log.

export const EXTRACT_JOB = 'exchange.extract';
const PAGE = 2000;

interface Payload {
  extractId: string;
}

/** Queues the writing of an extract (in the caller's transaction). */
export const queueExtract = (trx: Db, extractId: string) =>
  enqueue(trx, EXTRACT_JOB, { extractId } satisfies Payload, { maxAttempts: 3 });

class ExtractRefused extends Error {}

// Dates and times as ISO text, wide numbers as text (JSON has no such numbers); the rest as is.
const AS_TEXT = new Set(['date', 'timestamp', 'time', 'bigint', 'numeric']);

function outputColumns(projection: Projection, dictionary: readonly DictionaryColumn[]): RawBuilder<unknown> {
  const typeOf = new Map(dictionary.map((c) => [c.id, c.type]));
  const parts = [sql`_id`];
  for (const c of projection.columns) {
    const type = typeOf.get(c.id) ?? 'text';
    parts.push(
      c.access === 'clear' && AS_TEXT.has(type)
        ? sql`replace(${sql.id(c.id)}::text, ' ', 'T') as ${sql.id(c.id)}`
        : sql`${sql.id(c.id)}`,
    );
  }
  for (const s of projection.subjects) parts.push(sql.id(s.alias));
  return sql.join(parts);
}

const needsQuotes = /[",\r\n]/;
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes one extract; the job's result names what was written. */
export async function writeExtract(job: JobRun<Payload>, ctx: AppContext) {
  const extract = await findExtract(ctx.db, job.payload.extractId);
  if (!extract) return { skipped: 'gone' };
  if (extract.state === 'ready' || extract.state === 'expired') return { skipped: extract.state };
  try {
    const grant = await findGrantForUse(ctx.db, extract.grant_id);
    if (!grant) throw new ExtractRefused('the grant no longer exists');
    if (grant.state !== 'active' || grant.expires_at.getTime() <= Date.now())
      throw new ExtractRefused('the grant is not active');
    const table = await findDatastoreTable(ctx.db, grant.distribution_id);
    if (!table || table.current_version === null) throw new ExtractRefused('the table holds no data yet');
    const dictionary = table.columns as DictionaryColumn[];
    // A filter on a column the table no longer has must not silently widen the grant to every row.
    const lost = Object.keys(grant.row_filter).filter((id) => !dictionary.some((c) => c.id === id));
    if (lost.length)
      throw new ExtractRefused(`the grant's row filter names missing columns: ${lost.join(', ')}`);
    const projection = projectGrant(
      {
        distributionId: grant.distribution_id,
        fields: grant.fields,
        clearFields: grant.clear_fields,
        rowFilter: grant.row_filter,
      },
      dictionary,
    );
    if (projection.columns.length === 0) throw new ExtractRefused('none of the granted columns is readable');
    await updateExtract(ctx.db, extract.id, { state: 'running', job_id: job.id, error: null });

    const ids = projection.columns.map((c) => c.id);
    const subjects = new Set<string>();
    let rowCount = 0;
    const select = outputColumns(projection, dictionary);
    async function* pages() {
      let last = 0;
      for (;;) {
        job.signal.throwIfAborted();
        const r = await sql<Record<string, unknown> & { _id: number }>`
          select ${select} from (select ${projection.select} from ${projection.from}
            where (${projection.where}) and _id > ${last} order by _id limit ${PAGE}) p
          order by _id`.execute(ctx.db);
        if (r.rows.length === 0) return;
        for (const row of r.rows) {
          for (const s of projection.subjects) {
            const v = row[s.alias];
            if (typeof v === 'string' && v.trim())
              subjects.add(`${s.kind}:${ctx.cipher.blindIndex(s.kind, normalizeIdentifier(v))}`);
          }
        }
        rowCount += r.rows.length;
        last = Number(r.rows[r.rows.length - 1]!._id);
        yield r.rows;
        if (r.rows.length < PAGE) return;
      }
    }
    const body = extract.format === 'csv' ? csvOf(ids, pages()) : jsonOf(ids, pages());
    const stored = await ctx.files.put(Readable.from(body));
    const subjectsFile = await ctx.files.put(Buffer.from([...subjects].sort().join('\n'), 'utf8'));
    await updateExtract(ctx.db, extract.id, {
      state: 'ready',
      storage_key: stored.key,
      size_bytes: stored.sizeBytes,
      checksum: stored.checksum,
      row_count: rowCount,
      fields: ids,
      subjects_key: subjectsFile.key,
      subject_count: subjects.size,
      finished_at: new Date(),
    });
    return { rows: rowCount, bytes: stored.sizeBytes, subjects: subjects.size };
  } catch (err) {
    if (job.signal.aborted) throw err;
    const refused = err instanceof ExtractRefused;
    const message = (err as Error).message.slice(0, 1000);
    if (!refused && job.attempt < job.maxAttempts) {
      await updateExtract(ctx.db, extract.id, { state: 'queued', error: message });
      throw err;
    }
    await updateExtract(ctx.db, extract.id, { state: 'failed', error: message, finished_at: new Date() });
    return { failed: message };
  }
}

// A UTF-8 byte-order mark first: spreadsheet programs then read Chinese text correctly.
async function* csvOf(ids: string[], pages: AsyncIterable<Record<string, unknown>[]>) {
  yield Buffer.from(`\uFEFF${ids.map(csvField).join(',')}\r\n`, 'utf8');
  for await (const rows of pages) {
    let out = '';
    for (const row of rows) out += `${ids.map((id) => csvField(row[id])).join(',')}\r\n`;
    yield Buffer.from(out, 'utf8');
  }
}

async function* jsonOf(ids: string[], pages: AsyncIterable<Record<string, unknown>[]>) {
  yield Buffer.from(`{"fields":${JSON.stringify(ids)},"records":[`, 'utf8');
  let first = true;
  for await (const rows of pages) {
    let out = '';
    for (const row of rows) {
      const record: Record<string, unknown> = {};
      for (const id of ids) record[id] = row[id] ?? null;
      out += `${first ? '\n' : ',\n'}${JSON.stringify(record)}`;
      first = false;
    }
    yield Buffer.from(out, 'utf8');
  }
  yield Buffer.from('\n]}\n', 'utf8');
}
