import { type Column, column, failed, placeOf, type RowContext, words } from './columns.ts';
import { DATA_END, DISTRICTS, dayBack, PLACES, ROADS } from './pools.ts';

// Data items of one domain whose values must agree within a row: a hospital's category and grade, a
// school's name and level, AQI and its level, a place name and its pinyin. They are derived from the
// row number (`i`, for fixed lists shown in order) or the row's shared number (`k`).

const nth = <T>(list: readonly T[], c: RowContext) => list[c.i % list.length]!;
const byK = <T>(list: readonly T[], c: RowContext) => list[c.k % list.length]!;

// name, category, grade, ownership, district index
const HOSPITALS = [
  ['岚山市人民医院', '综合医院', '三级甲等', '公立', 0],
  ['岚山市中医院', '中医医院', '三级甲等', '公立', 1],
  ['岚山市第二人民医院', '综合医院', '三级乙等', '公立', 2],
  ['岚山市妇幼保健院', '专科医院', '三级乙等', '公立', 0],
  ['云溪区人民医院', '综合医院', '二级甲等', '公立', 0],
  ['青石区人民医院', '综合医院', '二级甲等', '公立', 1],
  ['望湖区中医院', '中医医院', '二级甲等', '公立', 2],
  ['城东社区卫生服务中心', '社区卫生服务中心', '一级', '公立', 0],
  ['石门社区卫生服务中心', '社区卫生服务中心', '一级', '公立', 1],
  ['溪口镇卫生院', '乡镇卫生院', '一级', '公立', 0],
  ['龙潭镇卫生院', '乡镇卫生院', '一级', '公立', 1],
  ['莲塘镇卫生院', '乡镇卫生院', '一级', '公立', 2],
  ['岚山康宁医院', '专科医院', '二级乙等', '民营', 1],
  ['岚山博爱口腔门诊部', '诊所', '未定级', '民营', 2],
] as const;
const VENUES = [
  ['岚山市图书馆', 0],
  ['岚山市博物馆', 0],
  ['岚山市文化馆', 1],
  ['岚山市美术馆', 1],
  ['云溪区图书馆', 0],
  ['青石区文化馆', 1],
  ['望湖区图书馆', 2],
  ['溪口镇综合文化站', 0],
  ['龙潭镇综合文化站', 1],
  ['莲塘镇综合文化站', 2],
] as const;
// school level, and how a school of that level is named
const SCHOOL_LEVELS = [
  ['小学', '小学'],
  ['小学', '中心小学'],
  ['初中', '初级中学'],
  ['九年一贯制', '学校'],
  ['普通高中', '高级中学'],
  ['完全中学', '中学'],
] as const;
const SCHOOL_NAMES = words('第一 第二 第三 育才 外国语 云溪 青石 望湖 白沙 湖滨 文昌 新港');
// commodity, unit, typical price
const COMMODITIES = [
  ['大米（粳米）', '元/500克', 3.1],
  ['面粉（富强粉）', '元/500克', 3.0],
  ['菜籽油（桶装）', '元/5升', 78],
  ['猪肉（后腿肉）', '元/500克', 15.5],
  ['牛肉', '元/500克', 42],
  ['鸡蛋', '元/500克', 5.6],
  ['大白菜', '元/500克', 1.8],
  ['西红柿', '元/500克', 4.2],
  ['土豆', '元/500克', 2.3],
  ['苹果（富士）', '元/500克', 6.8],
  ['带鱼', '元/500克', 24],
  ['鲫鱼', '元/500克', 13],
] as const;
const STD_NAMES = [
  ['文昌路', 'Wénchāng Lù', '道路'],
  ['岚江大桥', 'Lánjiāng Dàqiáo', '桥梁'],
  ['湖滨花园', 'Húbīn Huāyuán', '住宅区'],
  ['青石山', 'Qīngshí Shān', '山'],
  ['云溪', 'Yún Xī', '河流'],
  ['望湖苑', 'Wànghú Yuàn', '住宅区'],
  ['柳溪桥', 'Liǔxī Qiáo', '桥梁'],
  ['桃源新村', 'Táoyuán Xīncūn', '住宅区'],
  ['石门路', 'Shímén Lù', '道路'],
  ['莲塘港', 'Liántáng Gǎng', '河流'],
  ['学府路', 'Xuéfǔ Lù', '道路'],
  ['白沙岭', 'Báishā Lǐng', '山'],
] as const;

const HAZARDS = words('滑坡 滑坡 崩塌 泥石流 地面塌陷');

// AQI from the row's number; the pollutant concentrations and the level follow from it (HJ 633).
const aqiOf = (c: RowContext) => 22 + (c.k % 131);
const AQI_LEVELS = [
  [50, '优'],
  [100, '良'],
  [150, '轻度污染'],
  [200, '中度污染'],
] as const;

/** The domain data items, by the key the data tables use. */
export const DOMAIN_COLUMNS: Record<string, Column> = {
  hospitalName: column('医疗机构名称', 'string', 'Medical institution', (x) => nth(HOSPITALS, x)[0]),
  hospitalCategory: column('机构类别', 'string', 'Category', (x) => nth(HOSPITALS, x)[1]),
  hospitalGrade: column('等级', 'string', 'Grade', (x) => nth(HOSPITALS, x)[2]),
  hospitalOwnership: column('经营性质', 'string', 'Ownership', (x) => nth(HOSPITALS, x)[3]),
  venueName: column('场馆名称', 'string', 'Venue', (x) => nth(VENUES, x)[0]),
  schoolName: column(
    '学校名称',
    'string',
    'School',
    (x) => `岚山市${nth(SCHOOL_NAMES, x)}${byK(SCHOOL_LEVELS, x)[1]}`,
  ),
  schoolLevel: column('学段', 'string', 'Level', (x) => byK(SCHOOL_LEVELS, x)[0]),
  kindergartenName: column(
    '幼儿园名称',
    'string',
    'Kindergarten',
    (x) => `${DISTRICTS[x.d]!.name}${x.r.pick(PLACES)}${x.r.pick(['幼儿园', '中心幼儿园', '实验幼儿园'])}`,
  ),
  careHomeName: column(
    '机构名称',
    'string',
    'Institution',
    (x) => `${placeOf(x)}${x.r.pick(words('颐养院 敬老院 老年公寓 康养中心'))}`,
  ),
  communityName: column('社区（村）名称', 'string', 'Community or village', (x) =>
    x.r.next() < 0.6 ? `${x.r.pick(ROADS).replace(/(大道|路|街)$/, '')}社区` : `${x.r.pick(PLACES)}村`,
  ),
  estateName: column(
    '小区名称',
    'string',
    'Residential estate',
    (x) =>
      `${x.r.pick(words('锦绣 翠苑 湖景 建设 阳光 金桂 丽都 怡和'))}${x.r.pick(words('花园 新村 家园 苑 小区'))}`,
  ),
  shelterName: column(
    '避难场所名称',
    'string',
    'Shelter',
    (x) => `${placeOf(x)}${x.r.pick(words('公园 广场 体育中心 中学操场'))}应急避难场所`,
  ),
  stationName: column('站点名称', 'string', 'Station', (x) =>
    x.i % 6 === 0 ? '岚山国家基本气象站' : `${placeOf(x)}区域自动站`,
  ),
  airStation: column('监测站点', 'string', 'Monitoring station', (x) =>
    nth(words('市监测站 云溪子站 青石子站 望湖子站 白沙子站 龙潭子站'), x),
  ),
  aqi: column('AQI', 'integer', 'Air quality index', aqiOf),
  pm25: column('PM2.5（μg/m³）', 'integer', 'PM2.5, μg/m³', (x) =>
    Math.round(aqiOf(x) * 0.55 + x.r.int(0, 8)),
  ),
  pm10: column('PM10（μg/m³）', 'integer', 'PM10, μg/m³', (x) =>
    Math.round(aqiOf(x) * 0.85 + x.r.int(0, 12)),
  ),
  o3: column('O3（μg/m³）', 'integer', 'Ozone, μg/m³', (x) => x.r.int(30, 150)),
  aqiLevel: column('空气质量等级', 'string', 'Air quality level', (x) => {
    const aqi = aqiOf(x);
    return AQI_LEVELS.find(([max]) => aqi <= max)?.[1] ?? '重度污染';
  }),
  mainPollutant: column('首要污染物', 'string', 'Main pollutant', (x) =>
    aqiOf(x) <= 50 ? '—' : byK(['PM2.5', 'PM2.5', 'PM10', 'O3'], x),
  ),
  attractionName: column('景区名称', 'string', 'Attraction', (x) =>
    nth(
      words(
        '岚山风景区 望湖湿地公园 青石古镇 云溪峡谷 桃源村 龙潭溶洞 岚江滨江公园 石门古道 莲塘花海 柳溪古村',
      ),
      x,
    ),
  ),
  busRoute: column('线路名称', 'string', 'Route', (x) => `${x.k % 7 === 0 ? 'K' : ''}${x.i + 1}路`),
  busStop: column(
    '站点名称',
    'string',
    'Stop',
    (x) => `${x.r.pick(ROADS)}${x.r.pick(['口', '站', '东站', '西站'])}`,
  ),
  parkingName: column(
    '停车场名称',
    'string',
    'Car park',
    (x) => `${placeOf(x)}${x.r.pick(words('公共停车场 地下停车场 立体停车库'))}`,
  ),
  commodity: column('商品名称', 'string', 'Commodity', (x) => byK(COMMODITIES, x)[0]),
  unit: column('计价单位', 'string', 'Unit', (x) => byK(COMMODITIES, x)[1]),
  avgPrice: column('本期均价（元）', 'number', 'Average price this week, CNY', (x) =>
    Number((byK(COMMODITIES, x)[2] * (0.9 + x.r.next() * 0.2)).toFixed(2)),
  ),
  // A sample fails when its row's number says so (one in nine), and then names what failed.
  failedFoodTest: column('不合格项目', 'string', 'Failed test', (x) =>
    failed(x) ? byK(words('腐霉利 菌落总数 过氧化值 二氧化硫残留量 大肠菌群'), { ...x, k: x.i }) : '无',
  ),
  failedProductTest: column('不合格项目', 'string', 'Failed items', (x) =>
    failed(x) ? byK(words('标识标志 能效等级 耐压强度 结构 阻燃性能'), { ...x, k: x.i }) : '无',
  ),
  hazardSite: column(
    '隐患点名称',
    'string',
    'Site',
    (x) =>
      `${placeOf(x)}${byK(words('后山 上坑 岭脚 下湾 青龙山 石门坑'), { ...x, k: x.i })}${byK(HAZARDS, x)}`,
  ),
  hazardType: column('灾害类型', 'string', 'Hazard', (x) => byK(HAZARDS, x)),
  housingProject: column(
    '项目名称',
    'string',
    'Project',
    (x) =>
      `${x.r.pick(words('锦绣 翠湖 云溪 青石 望湖 岚江 金桂 丽都'))}${x.r.pick(words('府 华庭 公馆 花园 雅苑'))}${x.r.pick(['', '二期', '三期'])}`,
  ),
  // A period of works: it ends after it starts, both dated near the data's end.
  periodStart: column('开始日期', 'date', 'From', (x) => dayBack(10 + (x.k % 200))),
  periodEnd: column('结束日期', 'date', 'Until', (x) =>
    new Date(DATA_END - (10 + (x.k % 200)) * 86_400_000 + (20 + (x.k % 7) * 15) * 86_400_000)
      .toISOString()
      .slice(0, 10),
  ),
  stdName: column('标准地名', 'string', 'Standard name', (x) => nth(STD_NAMES, x)[0]),
  stdPinyin: column('汉语拼音', 'string', 'Pinyin', (x) => nth(STD_NAMES, x)[1]),
  stdCategory: column('地名类别', 'string', 'Category', (x) => nth(STD_NAMES, x)[2]),
};

/** Columns listing a fixed set in order: a resource with one has at most that many rows. */
export const FINITE_COLUMNS: Record<string, number> = {
  hospitalName: HOSPITALS.length,
  venueName: VENUES.length,
  attractionName: 10,
  stdName: STD_NAMES.length,
};

/** Columns that place their row in a district (a district hospital lies in its district). */
export const ROW_DISTRICT: Record<string, (i: number) => number> = {
  hospitalName: (i) => HOSPITALS[i % HOSPITALS.length]![4],
  venueName: (i) => VENUES[i % VENUES.length]![1],
};
