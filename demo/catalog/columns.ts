import type { DataItem } from '../../src/contracts/catalog.ts';
import { DEMO_DEPARTMENTS } from '../departments.ts';
import {
  addressIn,
  CENTRES,
  companyName,
  DISTRICTS,
  dateBetween,
  dayBack,
  hourBack,
  maskedId,
  maskedMobile,
  maskedName,
  monthBack,
  PLACES,
  personName,
  phoneNumber,
  quarterBack,
  type Rng,
  STREETS,
  shopName,
  uscc,
} from './pools.ts';

// The data items that many demo resources share, each with how to make a plausible value of it.
// Items of one domain (hospitals, air quality, buses, …) are in domain-columns.ts; items of a single
// resource are written inline in the data tables (see sample-data.ts).

/** What a value generator knows: the PRNG, the row number, the row's district and the resource. */
export interface RowContext {
  r: Rng;
  i: number;
  /** Index into DISTRICTS: address, street, codes and coordinates of one row agree. */
  d: number;
  /** A per-row number that paired columns (commodity and unit, name and pinyin) share. */
  k: number;
  resource: string;
}
export type Value = string | number | boolean;
export type Gen = (c: RowContext) => Value;
export interface Column extends DataItem {
  gen: Gen;
}

/** A list written as one space-separated string. */
export const words = (s: string) => s.split(' ');
/** Whether the row's sample failed its test: one in nine, by the row's shared number. */
export const failed = (c: RowContext) => c.k % 9 === 0;
/** The row's sub-district or town, in its district. */
export const street = (c: RowContext) => STREETS[c.d]![c.k % 5]!;
/** The short place name of the row's sub-district or town (城东街道 → 城东), for naming places in it. */
export const placeOf = (c: RowContext) => street(c).replace(/(街道|镇|乡)$/, '');

// What kind of place or organisation a resource lists: "placeName" and "orgName" read it.
const KINDS: Record<string, string[]> = {
  'service-halls': words('政务服务中心 便民服务中心 便民服务站'),
  'public-wifi-hotspots': words('公园 汽车站 市民广场 图书馆 政务服务中心'),
  'community-elderly-service-centres': words('居家养老服务中心 居家养老服务站'),
  'hall-queue-status': words('政务服务中心 市民中心分中心'),
  'self-service-terminals': words('农商银行网点 社区服务中心 购物中心'),
  'vaccination-clinics': words('社区卫生服务中心预防接种门诊 卫生院预防接种门诊'),
  'blood-donation-points': words('献血屋 献血车停靠点'),
  'emergency-120-stations': words('急救分站'),
  'job-fairs': words('人力资源市场 体育馆 职业技术学院'),
  'urban-gas-supply-stations': words('加气站 液化气供应站'),
  'passenger-bus-stations': words('汽车客运站 客运中心'),
  'ev-charging-stations': words('充电站 公交场站充电站'),
  'public-bicycle-stations': words('公共自行车站'),
  'vehicle-admin-service-points': words('车管服务站 交警中队 驾驶人考场'),
  'social-organisations': words('个体劳动者协会 书法家协会 社会工作服务中心 志愿者协会 老年体育协会'),
  'charitable-organisations': words('慈善总会 公益基金会 社工服务中心'),
  'funeral-service-institutions': words('殡仪馆 公益性公墓 殡葬服务站'),
  'vocational-training-institutions': words('职业培训学校 技工学校 技能培训中心'),
  'inspection-testing-bodies': words('建设工程质量检测有限公司 环境检测有限公司 产品质量检验所'),
  'public-institution-recruitment': words(
    '疾病预防控制中心 第一中学 人民医院 市政工程管理中心 不动产登记中心 档案馆',
  ),
  'fire-safety-key-units': words('购物中心 人民医院 大酒店 体育中心 实验中学'),
};
/** The kind of place or organisation the resource lists. */
export const kindOf = (c: RowContext) => c.r.pick(KINDS[c.resource] ?? ['服务点']);
const cityOrDistrict = (c: RowContext) => (c.r.next() < 0.5 ? '岚山市' : DISTRICTS[c.d]!.name);

const PRODUCTS = words(
  '电线电缆 电动自行车 儿童玩具 LED灯具 插座转换器 复合肥料 学生服 燃气灶具 安全帽 保温杯',
);
const FOODS = words('速冻水饺 香辣牛肉干 纯牛奶 桃酥 腌制萝卜 米粉 菜籽油 饮用纯净水');
const SCOPES = [
  '技术开发、技术服务、技术咨询；软件开发；信息系统集成服务',
  '食品销售；餐饮服务；日用百货销售',
  '建设工程施工；建筑材料销售；园林绿化工程施工',
  '普通货物仓储服务；道路货物运输（不含危险货物）',
  '服装制造；针纺织品销售；货物进出口',
  '农产品初加工；蔬菜种植；农业技术推广服务',
];
const INDUSTRIES = words(
  '制造业 批发和零售业 建筑业 信息传输、软件和信息技术服务业 住宿和餐饮业 交通运输、仓储和邮政业 租赁和商务服务业 科学研究和技术服务业 农、林、牧、渔业',
);
const DEPT_NAMES = DEMO_DEPARTMENTS.filter((d) => d.parent === 'LS-GOV').map((d) => d.nameZh);
const DOC_TOPICS = words(
  '促进民营经济高质量发展若干措施 生活垃圾分类管理办法 住宅物业管理办法 公共数据管理办法 养老服务补贴实施办法 户外广告设置管理办法 电动自行车管理规定 城市道路停车管理办法',
);
const LICENCE_PREFIX: Record<string, string> = {
  'food-business-licences': 'JY1339900',
  'food-production-licences': 'SC1339900',
  'pollutant-discharge-permits': '91339900',
  'commercial-housing-presale-permits': '岚房预售许可字',
  'planning-permits': '建字第339900',
  'construction-permits': '3399002026',
};

/** A data item with its value generator. */
export const column = (zh: string, type: DataItem['type'], en: string, gen: Gen): Column => ({
  name: zh,
  type,
  description: en,
  gen,
});
const date = (from: number, to: number) => (x: RowContext) => dateBetween(x.r, from, to);

/** The data items many resources share, by the key the data tables use. */
export const COLUMNS: Record<string, Column> = {
  uscc: column('统一社会信用代码', 'string', 'Unified social credit code', (x) => uscc(x.r, x.d)),
  // Every sixth company is a joint-stock company: name and type agree through the row's number.
  entName: column('企业名称', 'string', 'Name of the enterprise', (x) => companyName(x.r, x.k % 6 === 0)),
  orgName: column('单位名称', 'string', 'Name of the organisation', (x) =>
    KINDS[x.resource] ? `${cityOrDistrict(x)}${kindOf(x)}` : companyName(x.r),
  ),
  shopName: column('字号名称', 'string', 'Trade name of the shop', (x) =>
    shopName(x.r, /food|catering/.test(x.resource)),
  ),
  entType: column('市场主体类型', 'string', 'Type of market entity', (x) =>
    x.resource.endsWith('report')
      ? x.r.pick(words('企业 个体工商户 农民专业合作社'))
      : x.k % 6 === 0
        ? '股份有限公司'
        : x.r.pick(
            words(
              '有限责任公司（自然人投资或控股） 有限责任公司（自然人独资） 有限责任公司（非自然人投资或控股的法人独资）',
            ),
          ),
  ),
  entStatus: column('登记状态', 'string', 'Registration status', (x) =>
    x.r.next() < 0.85 ? '存续' : x.r.pick(words('注销 吊销 迁出')),
  ),
  legalRep: column('法定代表人', 'string', 'Legal representative', (x) => personName(x.r)),
  regCapital: column('注册资本（万元）', 'number', 'Registered capital, 10k CNY', (x) =>
    x.r.pick([10, 50, 100, 200, 500, 1000, 3000, 5000]),
  ),
  estDate: column('成立日期', 'date', 'Date of establishment', date(2003, 2026)),
  bizScope: column('经营范围', 'string', 'Business scope', (x) => x.r.pick(SCOPES)),
  industry: column('行业门类', 'string', 'Industry section (GB/T 4754)', (x) => x.r.pick(INDUSTRIES)),
  district: column('所属区县', 'string', 'District', (x) => DISTRICTS[x.d]!.name),
  street: column('街道（乡镇）', 'string', 'Sub-district or town', street),
  regionCode: column(
    '行政区划代码',
    'string',
    'Administrative division code',
    (x) => `${DISTRICTS[x.d]!.code}${String((x.k % 5) + 1).padStart(3, '0')}`,
  ),
  address: column('地址', 'string', 'Address', (x) => addressIn(x.r, x.d)),
  phone: column('联系电话', 'string', 'Phone number', (x) => phoneNumber(x.r)),
  phoneMasked: column('联系电话（脱敏）', 'string', 'Phone number, masked', (x) => maskedMobile(x.r)),
  personMasked: column('姓名（脱敏）', 'string', 'Name, masked', (x) => maskedName(x.r)),
  idMasked: column('证件号码（脱敏）', 'string', 'Identity document number, masked', (x) =>
    maskedId(x.r, x.d),
  ),
  plateMasked: column(
    '号牌号码（脱敏）',
    'string',
    'Licence plate, masked',
    (x) => `浙Z·${x.r.int(1, 9)}***${x.r.int(0, 9)}`,
  ),
  gender: column('性别', 'string', 'Sex', (x) => x.r.pick(['男', '女'])),
  birthDate: column('出生日期', 'date', 'Date of birth', (x) =>
    x.resource.startsWith('birth')
      ? dateBetween(x.r, 2026, 2026)
      : x.resource.startsWith('children')
        ? dateBetween(x.r, 2010, 2022)
        : dateBetween(x.r, 1940, 2008),
  ),
  lng: column('经度', 'number', 'Longitude (CGCS2000)', (x) =>
    Number((CENTRES[x.d]![0] + (x.r.next() - 0.5) * 0.08).toFixed(6)),
  ),
  lat: column('纬度', 'number', 'Latitude (CGCS2000)', (x) =>
    Number((CENTRES[x.d]![1] + (x.r.next() - 0.5) * 0.06).toFixed(6)),
  ),
  year: column('年度', 'integer', 'Year', (x) => 2025 - Math.floor(x.i / 3)),
  month: column('统计月份', 'string', 'Month (YYYY-MM)', (x) => monthBack(Math.floor(x.i / 3))),
  quarter: column('统计季度', 'string', 'Quarter', (x) => quarterBack(Math.floor(x.i / 3))),
  statDate: column('统计日期', 'date', 'Date', (x) => dayBack(Math.floor(x.i / 3))),
  observedAt: column('监测时间', 'datetime', 'Time of observation', (x) => hourBack(Math.floor(x.i / 6))),
  issueDate: column('发证日期', 'date', 'Date of issue', date(2021, 2026)),
  approvalDate: column('核准日期', 'date', 'Date of approval', date(2023, 2026)),
  acceptDate: column('受理日期', 'date', 'Date received', date(2025, 2026)),
  publishDate: column('发布日期', 'date', 'Date published', date(2019, 2026)),
  validTo: column('有效期至', 'date', 'Valid until', date(2026, 2031)),
  issuer: column(
    '发证机关',
    'string',
    'Issuing authority',
    (x) => `${x.r.next() < 0.4 ? '岚山市' : DISTRICTS[x.d]!.name}市场监督管理局`,
  ),
  decisionOrg: column(
    '作出决定机关',
    'string',
    'Deciding authority',
    (x) => `${x.r.next() < 0.5 ? '岚山市' : DISTRICTS[x.d]!.name}市场监督管理局`,
  ),
  licenceNo: column(
    '许可证编号',
    'string',
    'Licence number',
    (x) => `${LICENCE_PREFIX[x.resource] ?? 'LS339900'}${String(x.r.int(1, 99_999)).padStart(5, '0')}`,
  ),
  penaltyNo: column(
    '处罚决定书文号',
    'string',
    'Penalty decision number',
    (x) =>
      `${x.resource.startsWith('environmental') ? '岚环罚' : '岚市监处罚'}〔${x.r.int(2024, 2026)}〕${x.r.int(1, 360)}号`,
  ),
  penaltyReason: column('违法行为类型', 'string', 'Violation', (x) =>
    x.r.pick(
      words('销售不合格产品 虚假宣传 未按规定公示年度报告 经营过期食品 未取得许可从事经营活动 价格违法'),
    ),
  ),
  penaltyType: column('处罚类别', 'string', 'Type of penalty', (x) =>
    x.r.pick(words('警告 罚款 没收违法所得、罚款 责令停产停业')),
  ),
  fineAmount: column('罚款金额（元）', 'number', 'Fine, CNY', (x) => x.r.int(1, 400) * 500),
  penaltyDate: column('处罚决定日期', 'date', 'Date of decision', date(2024, 2026)),
  checkResult: column('检验结论', 'string', 'Result', (x) => (failed(x) ? '不合格' : '合格')),
  handleStatus: column('办理状态', 'string', 'Status', (x) =>
    x.r.pick(words('已受理 办理中 已办结 已办结 已回访')),
  ),
  productName: column('产品名称', 'string', 'Product', (x) =>
    x.r.pick(x.resource.startsWith('food') ? FOODS : PRODUCTS),
  ),
  projectName: column(
    '项目名称',
    'string',
    'Project',
    (x) =>
      `${x.r.pick(PLACES)}${x.r.pick(words('智能制造产业园项目 污水处理厂扩建工程 滨水公园建设工程 人民医院迁建工程 学校新建工程 安置小区建设项目 快速路改造工程 物流中心项目'))}`,
  ),
  projectType: column('项目类型', 'string', 'Type of project', (x) =>
    x.r.pick(words('产业项目 基础设施 社会民生 生态环保 城市更新')),
  ),
  projectCode: column(
    '项目代码',
    'string',
    'Investment project code',
    (x) =>
      `${x.r.int(2023, 2026)}-${DISTRICTS[x.d]!.code}-${x.r.pick(['26', '34', '39', '47', '59'])}-03-${String(x.r.int(1, 999_999)).padStart(6, '0')}`,
  ),
  totalInvestment: column(
    '总投资（万元）',
    'number',
    'Total investment, 10k CNY',
    (x) => x.r.int(20, 6000) * 100,
  ),
  docTitle: column(
    '文件标题',
    'string',
    'Title',
    (x) => `岚山市人民政府关于印发《岚山市${x.r.pick(DOC_TOPICS)}》的通知`,
  ),
  docNo: column(
    '文号',
    'string',
    'Reference number',
    (x) => `${x.r.pick(['岚政发', '岚政办发'])}〔${x.r.int(2019, 2026)}〕${x.r.int(1, 48)}号`,
  ),
  leadDept: column('责任单位', 'string', 'Responsible department', (x) => x.r.pick(DEPT_NAMES)),
  serviceName: column('事项名称', 'string', 'Service', (x) =>
    x.r.pick(
      words(
        '企业设立登记 食品经营许可 不动产转移登记 城乡居民养老保险参保登记 居住证签发 建筑工程施工许可 社会保障卡申领 医师执业注册',
      ),
    ),
  ),
  placeName: column('场所名称', 'string', 'Place', (x) => `${placeOf(x)}${kindOf(x)}`),
};
