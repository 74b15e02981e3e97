import type { DepartmentRoleName } from '../src/contracts/identity.ts';

// The people of the fictional demo city (see departments.ts). Every name is made up, e-mail
// addresses use the reserved .example domain, and every identifier starts with an unassigned
// region code, so none of them can belong to a real person or company.

/** Shared password of every demo staff account. Demo only: change or delete these accounts in production. */
export const DEMO_STAFF_PASSWORD = 'Civitas-Demo-2026!';
/** Shared password of every demo citizen and business account. */
export const DEMO_PUBLIC_PASSWORD = 'Civitas-Public-2026!';

/** How the summary describes an account that the README and the start-up banner list. */
export interface Highlight {
  en: string;
  zh: string;
}

export interface DemoStaff {
  username: string;
  displayName: string;
  email: string;
  /** Code of the home department, where the account is created. */
  department: string;
  roles: DepartmentRoleName[];
  /** Roles in departments other than the home department. */
  extraRoles?: { department: string; role: DepartmentRoleName }[];
  isPlatformAdmin?: boolean;
  highlight?: Highlight;
}

export const DEMO_STAFF: readonly DemoStaff[] = [
  {
    username: 'admin',
    displayName: '平台管理员',
    email: 'admin@lanshan.example',
    department: 'LS-DATA',
    roles: [],
    isPlatformAdmin: true,
    highlight: { en: 'Platform administrator', zh: '平台管理员' },
  },
  {
    username: 'zhao.min',
    displayName: '赵敏',
    email: 'zhao.min@lanshan.example',
    department: 'LS-SAMR',
    roles: ['dept_admin'],
    highlight: {
      en: 'Department admin, Market Regulation (and its two sections)',
      zh: '市场监督管理局部门管理员（含下属两个科室）',
    },
  },
  {
    username: 'qian.hao',
    displayName: '钱浩',
    email: 'qian.hao@lanshan.example',
    department: 'LS-DATA',
    roles: ['data_steward'],
    highlight: { en: 'Data steward, Data Resources Bureau', zh: '数据资源管理局数据管理员' },
  },
  {
    username: 'sun.li',
    displayName: '孙丽',
    email: 'sun.li@lanshan.example',
    department: 'LS-GSC',
    roles: ['case_handler'],
    highlight: { en: 'Case handler, Government Service Centre', zh: '政务服务中心受理人员' },
  },
  {
    // The real-name verification counter: finds an account by the ID number on the card presented
    // and records the check; sees nothing else (no people list, no data hub).
    username: 'gu.wen',
    displayName: '顾文',
    email: 'gu.wen@lanshan.example',
    department: 'LS-GSC',
    roles: ['identity_verifier'],
    highlight: {
      en: 'Identity-verification counter, Government Service Centre',
      zh: '政务服务中心实名核验窗口',
    },
  },
  {
    username: 'li.qiang',
    displayName: '李强',
    email: 'li.qiang@lanshan.example',
    department: 'LS-GSC',
    roles: ['reviewer'],
    highlight: { en: 'Reviewer, Government Service Centre', zh: '政务服务中心审核人员' },
  },
  {
    username: 'zhou.jie',
    displayName: '周洁',
    email: 'zhou.jie@lanshan.example',
    department: 'LS-GOV',
    roles: ['auditor'],
    highlight: {
      en: 'Auditor of the whole city government (root department)',
      zh: '市政府审计监督人员（根部门，覆盖全部门）',
    },
  },
  {
    username: 'wu.fang',
    displayName: '吴芳',
    email: 'wu.fang@lanshan.example',
    department: 'LS-DATA',
    roles: ['dept_admin'],
  },
  {
    username: 'zheng.wei',
    displayName: '郑伟',
    email: 'zheng.wei@lanshan.example',
    department: 'LS-SAMR-REG',
    roles: ['case_handler'],
  },
  {
    username: 'wang.lin',
    displayName: '王琳',
    email: 'wang.lin@lanshan.example',
    department: 'LS-SAMR-FOOD',
    roles: ['case_handler', 'reviewer'],
  },
  {
    username: 'feng.yu',
    displayName: '冯宇',
    email: 'feng.yu@lanshan.example',
    department: 'LS-HEALTH',
    roles: ['data_steward'],
  },
  {
    username: 'chen.jing',
    displayName: '陈静',
    email: 'chen.jing@lanshan.example',
    department: 'LS-12345',
    roles: ['case_handler'],
  },
  {
    username: 'chu.yang',
    displayName: '褚阳',
    email: 'chu.yang@lanshan.example',
    department: 'LS-PSB',
    roles: ['data_steward'],
  },
  {
    username: 'wei.na',
    displayName: '卫娜',
    email: 'wei.na@lanshan.example',
    department: 'LS-HRSS',
    roles: ['dept_admin', 'data_steward'],
  },
  {
    username: 'jiang.tao',
    displayName: '蒋涛',
    email: 'jiang.tao@lanshan.example',
    department: 'LS-EEB',
    roles: ['auditor'],
    // A department auditor who also audits a second bureau: roles are per department.
    extraRoles: [{ department: 'LS-HUD', role: 'auditor' }],
  },
  {
    username: 'shen.hui',
    displayName: '沈慧',
    email: 'shen.hui@lanshan.example',
    department: 'LS-NRP',
    roles: ['data_steward', 'reviewer'],
  },
  {
    username: 'han.bing',
    displayName: '韩冰',
    email: 'han.bing@lanshan.example',
    department: 'LS-CAB',
    // Also the bureau's data steward: decides other departments' requests for its shared data.
    roles: ['case_handler', 'data_steward'],
  },
  {
    username: 'yang.fan',
    displayName: '杨帆',
    email: 'yang.fan@lanshan.example',
    department: 'LS-TRANS',
    roles: ['dept_admin'],
  },
  {
    username: 'zhu.hong',
    displayName: '朱红',
    email: 'zhu.hong@lanshan.example',
    department: 'LS-DRC',
    roles: ['data_steward'],
  },
];

export interface DemoCitizen {
  username: string;
  displayName: string;
  email?: string;
  /** Fictional GB 11643 number: district code + birth date + sequence + check character. */
  residentId: string;
  highlight?: Highlight;
}

// Sequence digit 17 is odd for men and even for women, as GB 11643 prescribes.
export const DEMO_CITIZENS: readonly DemoCitizen[] = [
  {
    username: 'liu.yang',
    displayName: '刘洋',
    email: 'liu.yang@mail.lanshan.example',
    residentId: '339902198703120213',
    highlight: { en: 'Citizen (resident of Yunxi District)', zh: '市民（云溪区居民）' },
  },
  {
    username: 'huang.mei',
    displayName: '黄梅',
    email: 'huang.mei@mail.lanshan.example',
    residentId: '339902199207050468',
  },
  { username: 'lin.feng', displayName: '林峰', residentId: '339903197811180135' },
  {
    username: 'he.xiaoyu',
    displayName: '何晓雨',
    email: 'he.xiaoyu@mail.lanshan.example',
    residentId: '339903200102280584',
  },
  { username: 'gao.jianguo', displayName: '高建国', residentId: '339902196509040376' },
  {
    username: 'luo.xue',
    displayName: '罗雪',
    email: 'luo.xue@mail.lanshan.example',
    residentId: '339904199501300627',
  },
  { username: 'tang.bo', displayName: '唐波', residentId: '339904198312240798' },
  {
    username: 'xu.ning',
    displayName: '许宁',
    email: 'xu.ning@mail.lanshan.example',
    residentId: '339902200306160844',
  },
];

export interface DemoBusiness {
  username: string;
  /** The person acting for the company. */
  displayName: string;
  email?: string;
  companyName: string;
  /** Fictional GB 32100 code: authority/type + district code + organisation code (GB 11714) + check. */
  uscc: string;
  highlight?: Highlight;
}

export const DEMO_BUSINESSES: readonly DemoBusiness[] = [
  {
    username: 'qinghe-catering',
    displayName: '周明',
    email: 'contact@qinghe-catering.example',
    companyName: '岚山市青禾餐饮管理有限公司',
    uscc: '91339902MA2K7Q3D3T',
    highlight: { en: 'Business user (a restaurant company)', zh: '企业用户（餐饮公司）' },
  },
  {
    username: 'yunxi-tea',
    displayName: '陆晴',
    email: 'office@yunxi-tea.example',
    companyName: '岚山云溪茶业有限公司',
    uscc: '91339903MA2L8R4E7X',
  },
  {
    // Type 92: an individually owned business (个体工商户).
    username: 'laowang-noodles',
    displayName: '王大山',
    companyName: '云溪区老王面馆',
    uscc: '92339902MA2M1T6F69',
  },
  {
    username: 'zhizao-tech',
    displayName: '程远',
    email: 'it@zhizao-tech.example',
    companyName: '岚山智造电子科技有限公司',
    uscc: '91339904MA2N5U8G22',
  },
];
