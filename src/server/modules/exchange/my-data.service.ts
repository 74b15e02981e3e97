import type { Static } from 'typebox';
import type { MyDataEntrySchema, MyDataPage, MyDataQuery } from '../../../contracts/exchange.ts';
import { type Actor, authorize } from '../../platform/auth/actor.ts';
import type { AppContext } from '../../platform/context.ts';
import { canSeeOwnAccesses } from './exchange.policy.ts';
import { listAccessesTo, subjectKeyOf } from './my-data.repository.ts';

// "My data": a citizen sees every successful read of records about them (by their resident ID's
// blind index), a business every read about its credit code — who read, from whom, what, why, for
// which case. Reads withheld for a legal reason appear once their date has passed, marked so.

type Entry = Static<typeof MyDataEntrySchema>;
type Page = Static<typeof MyDataPage>;

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
  const subject = await subjectKeyOf(ctx.db, a.personId, a.kind as 'citizen' | 'business');
  if (!subject) return { items: [], total: 0, page, pageSize };
  const { rows, total } = await listAccessesTo(ctx.db, subject, pageSize, (page - 1) * pageSize);
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
    'Time',
    'Requesting department',
    'Owning department',
    'Resource',
    'Purpose',
    'Case',
    'Fields',
    'Withheld until',
  ],
  zh: ['时间', '使用部门', '数据提供部门', '数据资源', '用途', '办件编号', '使用字段', '暂缓告知至'],
} as const;

const cell = (v: string | null) => {
  const s = v ?? '';
  // Quote every cell; a leading =, +, - or @ would run as a formula in spreadsheets.
  return `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

/** The entries as CSV (UTF-8 with BOM so spreadsheets read Chinese), headed in the caller's language. */
export function myDataCsv(entries: Entry[], lang: 'zh' | 'en'): string {
  const zh = lang === 'zh';
  const lines = [HEADERS[lang].map(cell).join(',')];
  for (const e of entries) {
    lines.push(
      [
        e.at,
        zh ? e.requesterDepartmentZh : e.requesterDepartmentEn || e.requesterDepartmentZh,
        zh ? e.ownerDepartmentZh : e.ownerDepartmentEn || e.ownerDepartmentZh,
        zh ? e.resourceTitleZh : e.resourceTitleEn || e.resourceTitleZh,
        e.purpose,
        e.caseRef,
        e.fields.join('; '),
        e.disclosedAfter,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** zh when the caller prefers Chinese (Accept-Language), else en. */
export const csvLanguage = (acceptLanguage: string | undefined): 'zh' | 'en' =>
  acceptLanguage?.trim().toLowerCase().startsWith('zh') ? 'zh' : 'en';
