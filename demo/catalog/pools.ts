import { usccCheckChar } from '../../src/contracts/identifiers.ts';
import { DEMO_DISTRICTS } from '../departments.ts';

// Seeded randomness and the word pools the demo's sample files are made of. Seeded by the resource
// name, so every load writes byte-identical files (and the same checksums). All names are made up.

/** A small seeded PRNG (mulberry32 over an FNV-1a hash of the seed): deterministic, not secure. */
export class Rng {
  private state: number;
  constructor(seed: string) {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    this.state = h >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** A number in [min, max] with `digits` decimals. */
  num(min: number, max: number, digits: number): number {
    return Number((min + this.next() * (max - min)).toFixed(digits));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
}

/** The districts as [code, name] pairs. */
export const DISTRICTS = Object.entries(DEMO_DISTRICTS).map(([code, d]) => ({ code, name: d.nameZh }));

// Sub-districts and towns per district, in the district order above.
export const STREETS = [
  ['城东街道', '城西街道', '白沙街道', '溪口镇', '龙泉乡'],
  ['青石街道', '石门街道', '新港街道', '龙潭镇', '石塘镇'],
  ['湖滨街道', '望湖街道', '莲塘镇', '桃源乡', '柳溪镇'],
] as const;
// Where each district lies: the fictional city's rough centre points.
export const CENTRES = [
  [119.721, 29.583],
  [119.802, 29.634],
  [119.655, 29.521],
] as const;

export const ROADS =
  '岚山大道 文昌路 人民路 解放路 建设路 新华路 湖滨路 学府路 滨江路 工业大道 环城北路 环城南路 云溪路 青石街 望湖路 科技路 白沙路 柳溪路 莲塘路 石门路'.split(
    ' ',
  );
export const PLACES = '城东 城西 白沙 溪口 青石 石门 新港 龙潭 湖滨 望湖 莲塘 桃源 柳溪 岚江'.split(' ');
const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴孔汤',
];
const GIVEN =
  '伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 建华 文 华 建国 晓东 婷 宇 浩然 欣怡 子涵 梓轩 雨桐 志强 海燕 国平'.split(
    ' ',
  );
const BRANDS =
  '瑞丰 恒通 华宇 新源 嘉禾 泰和 鼎盛 博远 安达 宏图 金禾 汇通 永泰 天成 中诚 明德 云帆 青禾 湖光 弘毅 锦程 润泽 远景 星辰 凯越 德信 正元 同创 岚峰 溪谷'.split(
    ' ',
  );
const TRADES =
  '科技 贸易 建设工程 食品 物流 医药 电子 环保科技 文化传媒 餐饮管理 农业开发 机械制造 新材料 纺织 汽车服务 信息技术 建材 物业管理 家居 服饰'.split(
    ' ',
  );
const SHOP_PREFIX = '老街 阿婆 福满楼 好邻居 四季 悦来 小王 湖畔 石门 溪口 同心 鸿运 一品 金谷'.split(' ');
const EATERIES = '面馆 小吃店 酒家 烧烤店 早餐店 快餐店 茶楼 饺子馆'.split(' ');
const SHOPS = '便利店 水果店 理发店 宾馆 药店 烟酒店'.split(' ');

/** A made-up full name. */
export const personName = (r: Rng) => r.pick(SURNAMES) + r.pick(GIVEN);
/** A made-up name as registers show it to others: surname and asterisks. */
export const maskedName = (r: Rng) => `${r.pick(SURNAMES)}${r.next() < 0.5 ? '*' : '**'}`;
/** A made-up company in the city. */
export const companyName = (r: Rng, jointStock = false) =>
  `${r.pick(['岚山', '岚山', '云溪', '青石', '望湖'])}${r.pick(BRANDS)}${r.pick(TRADES)}${jointStock ? '股份有限公司' : '有限公司'}`;
/** A made-up shop; an eatery where food is concerned. */
export const shopName = (r: Rng, eatery: boolean) =>
  `${r.pick(SHOP_PREFIX)}${r.pick(eatery ? EATERIES : SHOPS)}`;
/** A street address in the given district (index into DISTRICTS). */
export const addressIn = (r: Rng, d: number) => `${DISTRICTS[d]!.name}${r.pick(ROADS)}${r.int(1, 388)}号`;
/** A fictional landline: the 555 exchange marks it as made up. */
export const phoneNumber = (r: Rng) => `0570-555${String(r.int(0, 9999)).padStart(4, '0')}`;
/** A masked mobile number, as registers show it. */
export const maskedMobile = (r: Rng) =>
  `1${r.pick(['38', '39', '58', '86', '77', '35'])}****${String(r.int(0, 9999)).padStart(4, '0')}`;
/** A masked resident ID number of the district: region code, stars, last four. */
export const maskedId = (r: Rng, d: number) =>
  `${DISTRICTS[d]!.code}********${String(r.int(0, 999)).padStart(3, '0')}${r.pick(['0', '1', '3', '5', '7', 'X'])}`;

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** A valid unified social credit code registered in the district (fictional: the region code is unassigned). */
export function uscc(r: Rng, d: number): string {
  let org = 'MA';
  for (let i = 0; i < 7; i++) org += USCC_CHARS[r.int(0, USCC_CHARS.length - 1)];
  const first17 = `91${DISTRICTS[d]!.code}${org}`;
  return first17 + usccCheckChar(first17);
}

/** YYYY-MM-DD of a day between two years, never after the demo data's end date. */
export function dateBetween(r: Rng, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const end = Math.min(Date.UTC(toYear, 11, 31), DATA_END);
  return new Date(start + Math.floor(r.next() * (end - start + 1))).toISOString().slice(0, 10);
}

/** The sample files describe the city up to this day, whenever the demo is loaded. */
export const DATA_END = Date.UTC(2026, 9, 31);
const pad = (n: number) => String(n).padStart(2, '0');
/** The month `back` months before the data's end, as YYYY-MM. */
export function monthBack(back: number): string {
  const total = 2026 * 12 + 9 - back;
  return `${Math.floor(total / 12)}-${pad((total % 12) + 1)}`;
}
/** The quarter `back` quarters before the data's end, as 2026Q3. */
export function quarterBack(back: number): string {
  const total = 2026 * 4 + 2 - back;
  return `${Math.floor(total / 4)}Q${(total % 4) + 1}`;
}
/** The day `back` days before the data's end. */
export const dayBack = (back: number) => new Date(DATA_END - back * 86_400_000).toISOString().slice(0, 10);
/** The hour `back` hours before the data's end (local time), as YYYY-MM-DD HH:mm. */
export function hourBack(back: number): string {
  const t = new Date(DATA_END + 23 * 3_600_000 - back * 3_600_000);
  return `${t.toISOString().slice(0, 10)} ${pad(t.getUTCHours())}:00`;
}
