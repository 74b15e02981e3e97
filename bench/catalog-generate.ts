import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../src/server/platform/db.ts';

// Generates a large catalog for the search benchmark: bilingual titles built from the subjects a
// city's departments publish, so that jieba sees real words, spread over departments, themes,
// licences, formats and tags like a real portal. Rows go in with multi-row INSERTs and empty search
// columns; the benchmark then times the index rebuild that fills them.

export const SUBJECTS: readonly [string, string][] = [
  ['营业执照', 'business licences'],
  ['行政许可', 'administrative permits'],
  ['空气质量', 'air quality'],
  ['公交线路', 'bus routes'],
  ['医疗机构', 'medical institutions'],
  ['中小学校', 'primary and secondary schools'],
  ['养老机构', 'elderly care homes'],
  ['社保参保', 'social insurance enrolment'],
  ['不动产登记', 'real estate registration'],
  ['企业信用', 'enterprise credit'],
  ['食品安全抽检', 'food safety inspections'],
  ['道路运输', 'road transport'],
  ['停车场', 'car parks'],
  ['公共厕所', 'public toilets'],
  ['图书馆', 'libraries'],
  ['体育场馆', 'sports venues'],
  ['旅游景区', 'tourist attractions'],
  ['农产品价格', 'farm produce prices'],
  ['住房公积金', 'housing provident fund'],
  ['政务数据共享交换', 'government data sharing and exchange'],
  ['水质监测', 'water quality monitoring'],
  ['降水量', 'precipitation'],
  ['交通事故', 'traffic accidents'],
  ['婚姻登记', 'marriage registration'],
  ['就业创业', 'employment and entrepreneurship'],
  ['药品零售', 'pharmacies'],
  ['建设工程招标', 'construction tenders'],
  ['文物保护单位', 'protected heritage sites'],
  ['应急避难场所', 'emergency shelters'],
  ['充电桩', 'EV charging points'],
];
const SUFFIXES: readonly [string, string][] = [
  ['信息', 'information'],
  ['名录', 'directory'],
  ['统计', 'statistics'],
  ['明细', 'records'],
  ['年度报告', 'annual report'],
  ['月度数据', 'monthly data'],
];
const PLACES: readonly [string, string][] = [
  ['岚山市', 'Lanshan'],
  ['云溪区', 'Yunxi District'],
  ['青石区', 'Qingshi District'],
  ['望湖区', 'Wanghu District'],
];
const THEMES = [
  'economy',
  'market',
  'environment',
  'transport',
  'health',
  'education',
  'social',
  'housing',
  'finance',
  'government',
];
const LICENSES = ['cn-open-data', 'cc-by', 'cc-by-sa', 'cc-zero', 'odc-by'];
const FORMATS = [['CSV'], ['CSV', 'JSON'], ['XLSX'], ['JSON', 'API'], ['CSV', 'XLSX', 'PDF'], ['GEOJSON']];
const CYCLES = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'];

/** Deterministic PRNG (mulberry32): the same catalog every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Creates `departments` departments and `count` published resources; returns the department codes. */
export async function generateCatalog(db: Db, count: number, departments = 40): Promise<string[]> {
  const rnd = prng(2026);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const deptIds: string[] = [];
  const codes: string[] = [];
  for (let i = 0; i < departments; i++) {
    const id = randomUUID();
    const code = `BENCH-${String(i).padStart(2, '0')}`;
    await db
      .insertInto('departments')
      .values({
        id,
        code,
        name_zh: `岚山市第${i + 1}局`,
        name_en: `Lanshan Bureau ${i + 1}`,
        path: id,
        region_code: '339900',
      })
      .execute();
    deptIds.push(id);
    codes.push(code);
  }
  const BATCH = 1000;
  for (let start = 0; start < count; start += BATCH) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const [sz, se] = pick(SUBJECTS);
      const [xz, xe] = pick(SUFFIXES);
      const [pz, pe] = pick(PLACES);
      const open = rnd() < 0.7;
      const d = Math.floor(rnd() * departments);
      rows.push({
        id: randomUUID(),
        name: `bench-${i}`,
        resource_code: `339900-${codes[d]}-${String(i).padStart(6, '0')}`,
        title_zh: `${pz}${sz}${xz}（${2015 + (i % 11)}）`,
        title_en: `${pe} ${se} ${xe} (${2015 + (i % 11)})`,
        description_zh: `${pz}${sz}相关的${xz}，由${pz}第${d + 1}局按${pick(['月', '季度', '年'])}更新，供社会公众查询和使用。`,
        description_en: `${xe} about ${se} in ${pe}, published by Lanshan Bureau ${d + 1} for public use.`,
        department_id: deptIds[d] as string,
        catalog_kind: pick(['base', 'thematic', 'departmental']),
        theme_id: pick(THEMES),
        keywords: [sz, pick(SUBJECTS)[0], pe.split(' ')[0] as string],
        format_class: 'spreadsheet',
        share_type: open ? 'unconditional' : pick(['unconditional', 'conditional']),
        share_condition: '用于政务服务',
        open_type: open ? 'open' : 'none',
        update_cycle: pick(CYCLES),
        license_id: open ? pick(LICENSES) : null,
        sensitivity: 'public',
        status: 'published',
        published_at: new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 7e10)),
        download_count: Math.floor(rnd() ** 3 * 5000),
        formats: pick(FORMATS),
        search_vector: sql`''::tsvector`,
        search_text: '',
      });
    }
    await db.insertInto('catalog_datasets').values(rows).execute();
  }
  return codes;
}

/** Queries a citizen would type: Chinese words inside titles, and English phrases. */
export const CHINESE_QUERIES = [
  '营业执照',
  '空气质量',
  '公交',
  '医疗机构',
  '数据共享',
  '养老',
  '不动产',
  '充电桩',
  '食品安全',
  '停车',
];
export const ENGLISH_QUERIES = [
  'business licence',
  'air quality',
  'bus',
  'medical',
  'data sharing',
  'elderly care',
  'real estate',
  'charging',
  'food safety',
  'parking',
];
