import { sql } from 'kysely';
import type { Db } from '../../platform/db.ts';
import { columnLabelsOf } from './column-labels.ts';

// "My data" reads the access log by subject: the GIN index on subjects finds the rows holding the
// caller's blind index. Only successful reads count, and withheld ones only once their date passed.

/**
 * Today in China Standard Time, whatever the server's or the session's time zone: an access withheld
 * until 8 December shows from midnight in Beijing that day (the date a caller states is a Chinese
 * date), not from 08:00 when the database's day turns in UTC.
 */
const TODAY_IN_CHINA = sql<string>`((now() at time zone 'UTC') + interval '8 hours')::date`;

/**
 * The caller's subject key in the log (`resident_id:<bidx>` / `uscc:<bidx>`, undefined without an
 * identifier) and whether staff have verified that the identifier is really theirs.
 */
export async function subjectOf(db: Db, personId: string, kind: 'citizen' | 'business') {
  const row = await db
    .selectFrom('people')
    .select(['resident_id_bidx', 'uscc_bidx', 'identity_verified_at'])
    .where('id', '=', personId)
    .executeTakeFirst();
  const bidx = kind === 'citizen' ? row?.resident_id_bidx : row?.uscc_bidx;
  return {
    key: bidx ? `${kind === 'citizen' ? 'resident_id' : 'uscc'}:${bidx}` : undefined,
    verified: !!row?.identity_verified_at,
  };
}

function visible(db: Db, subject: string) {
  return db
    .selectFrom('exchange_access_log as l')
    .where(sql<boolean>`l.subjects @> array[${subject}]::text[]`)
    .where('l.outcome', '=', 'ok')
    .where((eb) => eb.or([eb('l.withheld_until', 'is', null), eb('l.withheld_until', '<=', TODAY_IN_CHINA)]));
}

/** The accesses to records about `subject`, newest first, with department names and resource titles. */
export async function listAccessesTo(db: Db, subject: string, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    visible(db, subject)
      .leftJoin('departments as rd', 'rd.id', 'l.requester_department_id')
      .leftJoin('departments as od', 'od.id', 'l.owner_department_id')
      .leftJoin('catalog_datasets as d', 'd.id', 'l.dataset_id')
      .select([
        'l.at',
        'l.requester_department_id',
        'rd.name_zh as requester_zh',
        'rd.name_en as requester_en',
        'od.name_zh as owner_zh',
        'od.name_en as owner_en',
        'd.title_zh',
        'd.title_en',
        'l.purpose',
        'l.case_ref',
        'l.fields',
        columnLabelsOf('l.distribution_id', 'l.fields').as('column_labels'),
        'l.withheld_until',
      ])
      .orderBy('l.at', 'desc')
      .orderBy('l.entry_id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    visible(db, subject).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}
