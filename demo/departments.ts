// The departments of the demo city. 岚山市 / Lanshan City is FICTIONAL: it stands for no real place,
// and its region code 339900 is an unassigned GB/T 2260 prefecture code (province 33 has no
// prefecture 99), so no real resident ID or credit code begins with it.

/** GB/T 2260-style code of the fictional city. */
export const DEMO_CITY_REGION_CODE = '339900';

/** Fictional districts of the city, used as the first six digits of demo identifiers. */
export const DEMO_DISTRICTS = {
  '339902': { nameZh: '云溪区', nameEn: 'Yunxi District' },
  '339903': { nameZh: '青石区', nameEn: 'Qingshi District' },
  '339904': { nameZh: '望湖区', nameEn: 'Wanghu District' },
} as const;

export interface DemoDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Code of the parent department; undefined for the root. Parents come before their children. */
  parent?: string;
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  {
    code: 'LS-GOV',
    nameZh: '岚山市人民政府办公室',
    nameEn: 'General Office of Lanshan Municipal Government',
  },
  {
    code: 'LS-DRC',
    nameZh: '岚山市发展和改革委员会',
    nameEn: 'Lanshan Development and Reform Commission',
    parent: 'LS-GOV',
  },
  { code: 'LS-PSB', nameZh: '岚山市公安局', nameEn: 'Lanshan Public Security Bureau', parent: 'LS-GOV' },
  { code: 'LS-CAB', nameZh: '岚山市民政局', nameEn: 'Lanshan Civil Affairs Bureau', parent: 'LS-GOV' },
  {
    code: 'LS-HRSS',
    nameZh: '岚山市人力资源和社会保障局',
    nameEn: 'Lanshan Human Resources and Social Security Bureau',
    parent: 'LS-GOV',
  },
  {
    code: 'LS-NRP',
    nameZh: '岚山市自然资源和规划局',
    nameEn: 'Lanshan Natural Resources and Planning Bureau',
    parent: 'LS-GOV',
  },
  {
    code: 'LS-EEB',
    nameZh: '岚山市生态环境局',
    nameEn: 'Lanshan Ecology and Environment Bureau',
    parent: 'LS-GOV',
  },
  {
    code: 'LS-HUD',
    nameZh: '岚山市住房和城乡建设局',
    nameEn: 'Lanshan Housing and Urban-Rural Development Bureau',
    parent: 'LS-GOV',
  },
  { code: 'LS-TRANS', nameZh: '岚山市交通运输局', nameEn: 'Lanshan Transport Bureau', parent: 'LS-GOV' },
  {
    code: 'LS-HEALTH',
    nameZh: '岚山市卫生健康委员会',
    nameEn: 'Lanshan Health Commission',
    parent: 'LS-GOV',
  },
  {
    code: 'LS-SAMR',
    nameZh: '岚山市市场监督管理局',
    nameEn: 'Lanshan Administration for Market Regulation',
    parent: 'LS-GOV',
  },
  // Two sections under one bureau show that roles reach down the tree: the bureau's admin manages both.
  { code: 'LS-SAMR-REG', nameZh: '登记注册科', nameEn: 'Business Registration Section', parent: 'LS-SAMR' },
  {
    code: 'LS-SAMR-FOOD',
    nameZh: '食品安全监督管理科',
    nameEn: 'Food Safety Supervision Section',
    parent: 'LS-SAMR',
  },
  {
    code: 'LS-DATA',
    nameZh: '岚山市数据资源管理局',
    nameEn: 'Lanshan Data Resources Bureau',
    parent: 'LS-GOV',
  },
  {
    code: 'LS-GSC',
    nameZh: '岚山市政务服务中心',
    nameEn: 'Lanshan Government Service Centre',
    parent: 'LS-GOV',
  },
  {
    code: 'LS-12345',
    nameZh: '岚山市12345政务服务便民热线',
    nameEn: 'Lanshan 12345 Citizen Service Hotline',
    parent: 'LS-GSC',
  },
];
