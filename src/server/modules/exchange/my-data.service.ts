import type { Static } from 'typebox';
import type { MyDataEntrySchema, MyDataPage, MyDataQuery } from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { chinaDateTime } from '../../platform/working-days.ts';
import { canSeeOwnAccesses } from './exchange.policy.ts';
import { listAccessesTo, subjectOf } from './my-data.repository.ts';

// "My data": a citizen sees every successful read of records about them (by their resident ID's
// blind index), a business every read about its credit code — who read, from whom, what, why, for
// which case. Reads withheld for a legal reason appear once their date has passed, marked so.
// Registering needs only an identifier with a valid checksum, so the history is shown only once staff
// have verified that the account really is that person or business (identity module); until then
// anyone who knew someone's ID number could read who looked them up and why.

type Entry = Static<typeof MyDataEntrySchema>;
type Page = Static<typeof MyDataPage>;

/** The caller has not had their identity verified by staff (see the identity module). */
export const identityUnverified = () =>
  new AppError(
    'exchange.identity_unverified',
    403,
    'To protect personal information, who used your data is shown only after your identity has been verified. Bring your identity document to a government service centre counter to have it verified.',
  );

/** At most this many rows in a CSV export. */
export const MY_DATA_EXPORT_MAX = 10_000;

/** A page of the caller's accesses (or up to MY_DATA_EXPORT_MAX for an export). */
export async function myDataAccesses(
  ctx: AppContext,
  actor: Actor | undefined,
  query: Static<typeof MyDataQuery>,
): Promise<Page> {
  const a = authorize(actor, canSeeOwnAccesses);
  const all = query.format === 'csv';
  const page = all ? 1 : (query.page ?? 1);
  const pageSize = all ? MY_DATA_EXPORT_MAX : (query.pageSize ?? 50);
  const subject = await subjectOf(ctx.db, a.personId, a.kind as 'citizen' | 'business');
  if (!subject.verified) throw identityUnverified();
  if (!subject.key) return { items: [], total: 0, page, pageSize };
  const { rows, total } = await listAccessesTo(ctx.db, subject.key, pageSize, (page - 1) * pageSize);
  return {
    items: rows.map(
      (r): Entry => ({
        at: r.at.toISOString(),
        requesterDepartmentId: r.requester_department_id,
        requesterDepartmentZh: r.requester_zh ?? '',
        requesterDepartmentEn: r.requester_en ?? '',
        ownerDepartmentZh: r.owner_zh ?? '',
        ownerDepartmentEn: r.owner_en ?? '',
        resourceTitleZh: r.title_zh ?? '',
        resourceTitleEn: r.title_en ?? '',
        purpose: r.purpose,
        caseRef: r.case_ref,
        fields: r.fields,
        columnLabels: r.column_labels ?? [],
        disclosedAfter: r.withheld_until,
      }),
    ),
    total,
    page,
    pageSize,
  };
}

const HEADERS = {
  en: [
    'Time (Beijing, UTC+8)',
    'Requesting department',
    'Owning department',
    'Resource',
    'Purpose',
    'Case',
    'Fields',
    'Withheld until',
  ],
  zh: [
    '时间（北京时间）',
    '使用部门',
    '数据提供部门',
    '数据资源',
    '用途',
    '办件编号',
    '使用字段',
    '暂缓告知至',
  ],
} as const;

const cell = (v: string | null) => {
  const s = v ?? '';
  // Quote every cell; a leading =, +, - or @ would run as a formula in spreadsheets.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

/** A field by its dictionary label in the CSV's language (the id when the dictionary has none). */
function fieldName(e: Entry, id: string, zh: boolean): string {
  const c = e.columnLabels.find((l) => l.id === id);
  return (!zh && c?.labelEn?.trim()) || c?.label.trim() || id;
}

/** The entries as CSV (UTF-8 with BOM so spreadsheets read Chinese), headed in the caller's language. */
export function myDataCsv(entries: Entry[], lang: 'zh' | 'en'): string {
  const zh = lang === 'zh';
  const lines = [HEADERS[lang].map(cell).join(',')];
  for (const e of entries) {
    lines.push(
      [
        // Wall-clock time as the page shows it: spreadsheets read it as a date-time, not UTC text.
        chinaDateTime(new Date(e.at)),
        zh ? e.requesterDepartmentZh : e.requesterDepartmentEn || e.requesterDepartmentZh,
        zh ? e.ownerDepartmentZh : e.ownerDepartmentEn || e.ownerDepartmentZh,
        zh ? e.resourceTitleZh : e.resourceTitleEn || e.resourceTitleZh,
        e.purpose,
        e.caseRef,
        e.fields.map((id) => fieldName(e, id, zh)).join('; '),
        e.disclosedAfter,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/**
 * The CSV's language: the one the web app asks for (`lang`, its interface language, which may not be
 * the browser's), else zh when the caller prefers Chinese (Accept-Language), else en.
 */
export const csvLanguage = (acceptLanguage: string | undefined, lang?: string): 'zh' | 'en' =>
  (lang ?? acceptLanguage)?.trim().toLowerCase().startsWith('zh') ? 'zh' : 'en';
