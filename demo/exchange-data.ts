import type { DictionaryUpdate } from '../src/contracts/datastore.ts';
import { isValidResidentId, residentIdCheckChar } from '../src/contracts/identifiers.ts';
import { DISTRICTS, dateBetween, personName, phoneNumber, Rng, STREETS } from './catalog/pools.ts';
import { toCsv } from './catalog/sample-data.ts';
import { DEMO_CITIZENS } from './people.ts';

// What the demo city's departments exchange: the Civil Affairs Bureau's register of subsistence
// allowance recipients (a conditionally shared table, its dictionary saying what is personal), and
// the requests other departments file for it. Everything is fictional, like the city itself.

/** The conditionally shared resource of 岚山市民政局 that the demo loads a table into (catalog name). */
export const RECIPIENTS_DATASET = 'minimum-living-allowance-recipients';
/** The file distribution holding the register. */
export const RECIPIENTS_FILE = '最低生活保障对象名册.csv';
/** An unconditionally shared (open) resource of 岚山市人力资源和社会保障局 whose sample file is loaded. */
export const ENROLMENT_DATASET = 'social-insurance-enrolment-statistics';

const ROWS = 30;

/** One household of the register (the head of household's identity). */
export interface Recipient {
  姓名: string;
  身份证号: string;
  区县: string;
  街道: string;
  保障类别: string;
  家庭人口: number;
  保障金额: number;
  认定日期: string;
  联系电话: string;
}

/** A valid, fictional resident ID of the district (index into DISTRICTS) for a birth date and sequence. */
function residentId(d: number, birth: string, sequence: number): string {
  const first17 = `${DISTRICTS[d]!.code}${birth.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/**
 * The register: every demo citizen (so that signing in as one shows who read their record) and
 * households generated around them, identical on every load (seeded by the resource name).
 */
export function recipients(): Recipient[] {
  const r = new Rng(RECIPIENTS_DATASET);
  const taken = new Set(DEMO_CITIZENS.map((c) => c.residentId));
  const people: { name: string; id: string }[] = DEMO_CITIZENS.map((c) => ({
    name: c.displayName,
    id: c.residentId,
  }));
  while (people.length < ROWS) {
    const d = r.int(0, DISTRICTS.length - 1);
    const id = residentId(d, dateBetween(r, 1942, 2004), r.int(1, 999));
    if (taken.has(id) || !isValidResidentId(id)) continue;
    taken.add(id);
    people.push({ name: personName(r), id });
  }
  return people.map(({ name, id }) => {
    const d = DISTRICTS.findIndex((x) => x.code === id.slice(0, 6));
    const street = r.pick(STREETS[d]!);
    // Towns and townships (镇, 乡) are rural: a lower standard, larger households.
    const rural = !street.endsWith('街道');
    const size = r.int(1, rural ? 5 : 4);
    return {
      姓名: name,
      身份证号: id,
      区县: DISTRICTS[d]!.name,
      街道: street,
      保障类别: rural ? '农村低保' : '城市低保',
      家庭人口: size,
      保障金额: size * r.int(rural ? 48 : 62, rural ? 86 : 112) * 10,
      认定日期: dateBetween(r, 2019, 2026),
      联系电话: phoneNumber(r),
    };
  });
}

/** The register as the CSV file Civil Affairs would export (UTF-8 with BOM). */
export const recipientsCsv = () => toCsv(recipients() as unknown as Record<string, string | number>[]);

/** What Civil Affairs' steward says about the register's columns. */
export const RECIPIENTS_DICTIONARY: DictionaryUpdate['columns'] = [
  { id: '姓名', labelEn: 'Name', sensitivity: 'personal', mask: 'name' },
  {
    id: '身份证号',
    labelEn: 'Resident ID number',
    type: 'text',
    sensitivity: 'personal',
    mask: 'id_number',
    subject: 'resident_id',
    indexed: true,
  },
  { id: '区县', labelEn: 'District', sensitivity: 'public', mask: 'none' },
  { id: '街道', labelEn: 'Sub-district or town', sensitivity: 'public', mask: 'none' },
  { id: '保障类别', labelEn: 'Category', sensitivity: 'internal', mask: 'none' },
  { id: '家庭人口', labelEn: 'Household size', sensitivity: 'internal', mask: 'none' },
  { id: '保障金额', labelEn: 'Monthly allowance', unit: '元/月', sensitivity: 'internal', mask: 'none' },
  { id: '认定日期', labelEn: 'Approved on', sensitivity: 'internal', mask: 'none' },
  { id: '联系电话', labelEn: 'Phone', sensitivity: 'personal', mask: 'phone' },
];

/** A call the grantee's system makes through the gateway: a lookup by resident ID, or a filter. */
export interface DemoCall {
  lookup?: string;
  filter?: Record<string, string>;
  purpose: string;
  caseRef: string;
  user: string;
}

/** A request one demo department files for another's table, and what becomes of it. */
export interface DemoRequest {
  dataset: string;
  requester: string;
  /** The requester's data steward or admin who files it (the platform itself when absent). */
  by?: string;
  purpose: string;
  legalBasis: string;
  /** Column ids; all of the table's non-secret columns when absent. */
  fields?: string[];
  durationDays: number;
  expectedCallsPerDay: number;
  systemName: string;
  /** The owner's decision (by the owner's data steward); none leaves it pending. */
  decision?:
    | { decision: 'approve'; by: string; fields: string[]; rateLimitPerMinute: number; reason: string }
    | { decision: 'refuse'; by: string; reason: string };
  /** What the requester's system reads once the grant is active (through the real gateway). */
  calls?: readonly DemoCall[];
}

const [liu, huang, , , gao] = DEMO_CITIZENS;

export const DEMO_REQUESTS: readonly DemoRequest[] = [
  {
    // Human Resources and Social Security checks allowance recipients' employment: approved, narrowed.
    dataset: RECIPIENTS_DATASET,
    requester: 'LS-HRSS',
    by: 'wei.na',
    purpose: '核对低保对象就业和参保状况，办理就业援助、灵活就业社保补贴和城乡居民养老保险代缴',
    legalBasis: '《社会救助暂行办法》第四十二条、第四十四条；《岚山市政务数据共享管理办法》第十二条',
    fields: ['姓名', '身份证号', '区县', '街道', '保障类别', '保障金额', '认定日期', '联系电话'],
    durationDays: 365,
    expectedCallsPerDay: 200,
    systemName: '岚山市人社一体化经办系统',
    decision: {
      decision: 'approve',
      by: 'han.bing',
      fields: ['姓名', '身份证号', '区县', '街道', '保障类别', '认定日期'],
      rateLimitPerMinute: 60,
      reason: '同意共享。保障金额和联系电话与核对用途无关，不予共享；调用时须注明事由和办件编号。',
    },
    calls: [
      {
        lookup: liu!.residentId,
        purpose: '就业困难人员认定',
        caseRef: 'JY-2026-01873',
        user: 'hrss-window-05',
      },
      {
        lookup: huang!.residentId,
        purpose: '灵活就业社保补贴审核',
        caseRef: 'SB-2026-00412',
        user: 'hrss-window-02',
      },
      {
        lookup: gao!.residentId,
        purpose: '城乡居民养老保险代缴资格核对',
        caseRef: 'YL-2026-00356',
        user: 'hrss-pension-11',
      },
      {
        filter: { 区县: '望湖区' },
        purpose: '就业援助月活动名单核对',
        caseRef: 'JY-2026-PL-007',
        user: 'hrss-plan-01',
      },
      { lookup: liu!.residentId, purpose: '就业援助回访', caseRef: 'JY-2026-01873', user: 'hrss-window-05' },
      // A column the grant leaves out is refused, and the refusal logged.
      {
        filter: { 保障金额: '1200' },
        purpose: '补贴标准测算',
        caseRef: 'SB-2026-00415',
        user: 'hrss-window-02',
      },
    ],
  },
  {
    // The Health Commission's request waits in Civil Affairs' inbox, with its deadline.
    dataset: RECIPIENTS_DATASET,
    requester: 'LS-HEALTH',
    by: 'feng.yu',
    purpose: '医疗救助对象身份核验：低保对象住院费用“一站式”结算时减免个人自付部分',
    legalBasis: '《社会救助暂行办法》第二十八条、第二十九条',
    fields: ['姓名', '身份证号', '保障类别', '认定日期'],
    durationDays: 365,
    expectedCallsPerDay: 300,
    systemName: '岚山市医疗救助一站式结算系统',
  },
  {
    // The Development and Reform Commission asks for records where statistics do: refused.
    dataset: RECIPIENTS_DATASET,
    requester: 'LS-DRC',
    by: 'zhu.hong',
    purpose: '分析低收入群体收入结构，支撑全市经济运行监测',
    legalBasis: '《岚山市政务数据共享管理办法》第十条',
    durationDays: 180,
    expectedCallsPerDay: 20,
    systemName: '岚山市经济运行监测分析平台',
    decision: {
      decision: 'refuse',
      by: 'han.bing',
      reason:
        '经济运行分析只需汇总数据，请使用已开放的《城乡最低生活保障统计》；个人明细不符合最小必要原则，不予共享。',
    },
  },
  {
    // Civil Affairs reads Human Resources' unconditionally shared statistics: granted at once.
    dataset: ENROLMENT_DATASET,
    requester: 'LS-CAB',
    by: 'han.bing',
    purpose: '按区评估社会保险覆盖情况，研判低保对象参保帮扶重点',
    legalBasis: '《社会救助暂行办法》第四十四条',
    durationDays: 365,
    expectedCallsPerDay: 10,
    systemName: '岚山市社会救助信息系统',
    calls: [{ purpose: '参保覆盖情况季度研判', caseRef: 'JZ-2026-Q4-02', user: 'cab-assist-03' }],
  },
];
