// The CSV of the DataStore load benchmarks: rows × 20 columns of mixed types (integers, amounts with
// thousands separators, ISO, slashed and 年月日 dates, times, 是/否 and Y/N, codes with leading zeros,
// Chinese text, "无" for missing, and about one "约5" in 10,000 rows of a number column), generated
// once per row count into the temp directory. No quoted line breaks: lines are records.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rng } from './bench-support.ts';

const p2 = (n: number) => String(n).padStart(2, '0');
const NAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区'];
export const LOAD_COLUMNS: [string, (r: (n: number) => number, i: number) => string][] = [
  ['序号', (_, i) => String(i + 1)],
  ['企业名称', (r) => `岚山${NAMES[r(20)]}${NAMES[r(20)]}${['科技', '餐饮', '物流', '建设'][r(4)]}有限公司`],
  ['统一社会信用代码', (r) => `91339900MA${String(r(100_000_000)).padStart(8, '0')}`],
  ['注册资本', (r) => `${r(100_000)}.${p2(r(100))}`],
  ['合同金额', (r) => `"${(r(1000) * 1_000_003 + r(1000)).toLocaleString('en-US')}"`],
  ['成立日期', (r) => `20${p2(r(24))}-${p2(r(12) + 1)}-${p2(r(28) + 1)}`],
  ['发证日期', (r) => `20${p2(r(24))}年${r(12) + 1}月${r(28) + 1}日`],
  ['更新时间', (r) => `2023-${p2(r(12) + 1)}-${p2(r(28) + 1)} ${p2(r(24))}:${p2(r(60))}:${p2(r(60))}`],
  ['营业时间', (r) => `${r(24)}:${p2(r(60))}`],
  ['是否存续', (r) => (r(2) ? '是' : '否')],
  ['行政区划代码', (r) => `0${r(1000)}`.padStart(4, '0')],
  ['联系电话', (r) => `13${r(10)}${String(r(100_000_000)).padStart(8, '0')}`],
  ['法定代表人', (r) => `${NAMES[r(20)]}${NAMES[r(20)]}`],
  ['地址', (r) => `岚山市${DISTRICTS[r(6)]}文三路${r(500)}号`],
  ['员工人数', (r) => (r(10_000) === 0 ? '约5' : String(r(800)))],
  ['经营面积', (r) => (r(10) === 0 ? '无' : `${r(1000)}.${r(10)}`)],
  ['达标', (r) => (r(2) ? 'Y' : 'N')],
  ['检查日期', (r) => `2023/${r(12) + 1}/${r(28) + 1}`],
  ['排名', (r) => String(r(1000))],
  ['备注', (r) => (r(3) ? '' : '年度检查合格，无违规记录')],
];

/** Writes the CSV once per row count (kept in the temp directory between runs). */
export function loadBenchFile(rows: number): string {
  const file = path.join(os.tmpdir(), `civitas-bench-load-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  const fd = fs.openSync(`${file}.part`, 'w');
  fs.writeSync(fd, `${LOAD_COLUMNS.map(([label]) => label).join(',')}\r\n`);
  const r = rng(42);
  for (let at = 0; at < rows; at += 50_000) {
    let chunk = '';
    for (let i = at; i < Math.min(rows, at + 50_000); i++)
      chunk += `${LOAD_COLUMNS.map(([, v]) => v(r, i)).join(',')}\r\n`;
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  fs.renameSync(`${file}.part`, file);
  return file;
}
