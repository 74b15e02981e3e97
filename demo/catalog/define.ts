import type {
  CatalogKind,
  Contact,
  CreateDatasetInput,
  FormatClass,
  SensitivityLevel,
  UpdateCycle,
} from '../../src/contracts/catalog.ts';
import { DEMO_CITY_REGION_CODE, DEMO_DISTRICTS } from '../departments.ts';
import { dataItemsOf } from './sample-data.ts';

// The short form in which the demo catalog's data files list resources, and its expansion into the
// catalog's CreateDatasetInput. Everything here is fictional, like the city itself.

/**
 * How a resource is shared between departments and opened to the public — the combinations that
 * catalogs compiled under the 政务信息资源目录编制指南 actually use.
 * - open: 无条件共享 + 无条件开放 (with a licence)
 * - open-cond: 无条件共享 + 有条件开放
 * - shared: 无条件共享 + 不予开放
 * - cond: 有条件共享 + 不予开放
 * - none: 不予共享 (with its legal basis) + 不予开放
 */
export type Access = 'open' | 'open-cond' | 'shared' | 'cond' | 'none';

/** Where a demo resource ends up; published unless the row says otherwise. */
export type DemoStatus = 'published' | 'submitted' | 'draft' | 'withdrawn';

/** One row of a department's demo catalog table. */
export interface DemoRow {
  /** URL slug, unique across the demo. */
  name: string;
  zh: string;
  en: string;
  dzh: string;
  den: string;
  theme: string;
  cycle: UpdateCycle;
  access: Access;
  /** Comma-separated keywords. */
  kw: string;
  /** Data items: keys of COLUMNS, or inline `名称:type:English description[:值1/值2/…]`. */
  items: string[];
  kind?: CatalogKind;
  fmt?: FormatClass;
  /** Condition of conditional sharing or opening (a default per access type otherwise). */
  cond?: string;
  /** Legal basis of not sharing, or of a sharing condition. */
  basis?: string;
  lic?: string;
  from?: string;
  to?: string;
  /** District codes the resource covers; the whole city when absent. */
  area?: (keyof typeof DEMO_DISTRICTS)[];
  status?: Exclude<DemoStatus, 'published'>;
  /** Why a withdrawn resource was taken off the catalog. */
  reason?: string;
  /** Published long enough ago that its update cycle has passed (demo history). */
  overdue?: boolean;
  /** Also reachable through an API on the open-data platform. */
  api?: boolean;
  /** The sample file is JSON rather than CSV. */
  json?: boolean;
  /** Popularity 0–9, for demo download counts; derived from the access type when absent. */
  hits?: number;
  sens?: SensitivityLevel;
}

/** A department's rows and the contact point that answers for them. */
export interface DemoTable {
  department: string;
  contact: Contact;
  rows: DemoRow[];
}

/** Legal bases the not-shared and conditionally shared resources cite. */
export const LAW = {
  pipl: '《中华人民共和国个人信息保护法》：含个人敏感信息，仅在履行法定职责所必需的范围内处理',
  stats: '《中华人民共和国统计法》：能够识别单个统计调查对象的资料不得对外提供',
  secrets: '《中华人民共和国保守国家秘密法》及《中华人民共和国数据安全法》',
  health:
    '《中华人民共和国基本医疗卫生与健康促进法》及《中华人民共和国个人信息保护法》：个人健康信息受法律保护',
  police: '《中华人民共和国人民警察法》及《中华人民共和国个人信息保护法》：公安业务数据仅限法定用途',
  social: '《中华人民共和国社会保险法》：社会保险经办机构应当依法为用人单位和个人的信息保密',
  minors: '《中华人民共和国未成年人保护法》及《中华人民共和国个人信息保护法》：未成年人个人信息特殊保护',
  realty: '《不动产登记暂行条例》：权利人、利害关系人以外的查询须依法申请',
} as const;

const SHARE_CONDITION = '仅向因履行法定职责确需使用的政府部门共享，须经提供部门审核同意并签订数据使用协议';
const OPEN_CONDITION = '经实名注册并签署数据使用协议后开放，限用于科研、公益和创新应用，不得再分发';

// The access attributes that go with each access type; sensitivity follows from them.
function accessFields(row: DemoRow): Partial<CreateDatasetInput> {
  switch (row.access) {
    case 'open':
      return {
        shareType: 'unconditional',
        openType: 'open',
        licenseId: row.lic ?? 'cn-open-data',
        sensitivity: 'public',
      };
    case 'open-cond':
      return {
        shareType: 'unconditional',
        openType: 'conditional',
        openCondition: row.cond ?? OPEN_CONDITION,
        sensitivity: 'internal',
      };
    case 'shared':
      return { shareType: 'unconditional', openType: 'none', sensitivity: 'internal' };
    case 'cond':
      return {
        shareType: 'conditional',
        shareCondition: row.cond ?? SHARE_CONDITION,
        shareLegalBasis: row.basis ?? null,
        openType: 'none',
        sensitivity: 'sensitive',
      };
    case 'none':
      return {
        shareType: 'none',
        shareLegalBasis: row.basis ?? LAW.pipl,
        openType: 'none',
        sensitivity: 'sensitive',
      };
  }
}

// Resources broken down by district cover the city and each of its districts.
const CITY_AND_DISTRICTS = [DEMO_CITY_REGION_CODE, ...Object.keys(DEMO_DISTRICTS)];

// Coverage starts when the department's system went live, later for fast-moving data.
const DEFAULT_FROM: Record<UpdateCycle, string> = {
  realtime: '2023-01-01',
  daily: '2021-01-01',
  weekly: '2021-01-01',
  monthly: '2019-01-01',
  quarterly: '2018-01-01',
  half_yearly: '2018-01-01',
  yearly: '2015-01-01',
  irregular: '2017-01-01',
};

/** The service input of a demo row (the department id is resolved by the loader). */
export function expandRow(row: DemoRow, departmentId: string, contact: Contact): CreateDatasetInput {
  const keywords = row.kw
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return {
    departmentId,
    name: row.name,
    titleZh: row.zh,
    titleEn: row.en,
    descriptionZh: row.dzh,
    descriptionEn: row.den,
    catalogKind: row.kind ?? 'departmental',
    themeId: row.theme,
    keywords,
    formatClass: row.fmt ?? 'database',
    dataItems: dataItemsOf(row.items),
    updateCycle: row.cycle,
    temporalStart: row.from ?? DEFAULT_FROM[row.cycle],
    temporalEnd: row.to ?? null,
    spatialCodes: row.area ?? (row.items.includes('district') ? CITY_AND_DISTRICTS : [DEMO_CITY_REGION_CODE]),
    contact,
    ...accessFields(row),
    ...(row.sens ? { sensitivity: row.sens } : {}),
  };
}

/** The status a row ends in. */
export const statusOf = (row: DemoRow): DemoStatus => row.status ?? 'published';

/**
 * Contact point of a department's data office: a made-up name, the city's fictional mail domain and a
 * number in the 555 exchange, which the demo keeps for made-up numbers.
 */
export const contact = (name: string, user: string, phone: string): Contact => ({
  name,
  email: `${user}@lanshan.example.gov.cn`,
  phone: `0570-${phone}`,
});
