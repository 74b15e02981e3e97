import type { CreateDatasetInput, DatasetDto } from '../../src/contracts/catalog.ts';
import {
  addFileDistribution,
  addLinkDistribution,
  createDataset,
  getDataset,
  reviewDataset,
  submitDataset,
} from '../../src/server/modules/catalog/index.ts';
import { createDepartment } from '../../src/server/modules/identity/index.ts';
import { systemActor } from '../../src/server/platform/auth/actor.ts';
import type { AppContext } from '../../src/server/platform/context.ts';

// Resources covering every field and kind of distribution the DCAT-AP export maps, for the export's
// tests: open ones (in the public catalog) and ones that must never appear there.

export interface DcatFixtures {
  /** Every field filled, Chinese and English, a file, a link and an API distribution. */
  full: DatasetDto;
  /** Only what is required: no description, no English, a licence without a URL, awkward text. */
  minimal: DatasetDto;
  /** One open resource per update cycle, so every frequency mapping is exported. */
  cycles: DatasetDto[];
  /** Published but not open: never in the public catalog. */
  closed: DatasetDto;
  /** Open but still a draft: never in the public catalog. */
  draft: DatasetDto;
  /** Names of everything that is public. */
  publicNames: string[];
}

const CYCLES = ['realtime', 'daily', 'weekly', 'quarterly', 'half_yearly', 'yearly', 'irregular'] as const;

/** Creates the departments and resources; call once per test database. */
export async function createDcatFixtures(ctx: AppContext): Promise<DcatFixtures> {
  const system = systemActor('dcat-fixtures');
  const gov = await createDepartment(ctx, system, {
    code: 'DX-GOV',
    nameZh: '测试市人民政府',
    nameEn: 'Test City Government',
    regionCode: '339900',
  });
  const stats = await createDepartment(ctx, system, {
    code: 'DX-STAT',
    nameZh: '测试市统计局',
    nameEn: 'Test City Statistics Bureau',
    parentId: gov.id,
    regionCode: '339900',
  });
  const publish = async (input: CreateDatasetInput, distributions?: (id: string) => Promise<unknown>) => {
    const ds = await createDataset(ctx, system, input);
    if (distributions) await distributions(ds.id);
    await submitDataset(ctx, system, ds.id);
    await reviewDataset(ctx, system, ds.id, { decision: 'publish' });
    return getDataset(ctx, system, { id: ds.id });
  };

  const minimal = await publish(
    {
      departmentId: gov.id,
      name: 'dx-minimal',
      titleZh: '最简资源 <&> "引号"',
      openType: 'open',
      licenseId: 'other-open',
      updateCycle: 'realtime',
      keywords: ['实时', 'live feed'],
    },
    (id) =>
      addLinkDistribution(ctx, system, id, {
        name: '链接 & 说明\r\n第二行\u0001',
        url: 'https://example.org/data/a b.csv?x=1&y=<2>',
      }),
  );
  const full = await publish(
    {
      departmentId: stats.id,
      name: 'dx-full',
      resourceCode: '339900-DX-GDP-00001',
      titleZh: '全市季度地区生产总值',
      titleEn: 'Quarterly GDP of the city',
      descriptionZh: '按行业分列的季度地区生产总值，单位：亿元。',
      descriptionEn: 'Quarterly gross domestic product by industry, in 100 million yuan.',
      catalogKind: 'base',
      themeId: 'economy',
      keywords: ['经济', 'GDP', '统计'],
      formatClass: 'spreadsheet',
      dataItems: [
        { name: 'quarter', type: 'string', description: '季度' },
        { name: 'gdp', type: 'number' },
      ],
      shareType: 'unconditional',
      openType: 'open',
      updateCycle: 'monthly',
      licenseId: 'cc-by',
      temporalStart: '2020-01-01',
      temporalEnd: '2025-12-31',
      spatialCodes: ['339900', '339901'],
      contact: { name: '数据科 Data Office', email: 'data@stats.example.gov.cn', phone: '0571-8888 1234' },
      sensitivity: 'public',
      related: ['dx-minimal'],
      extras: { source: 'statistical yearbook' },
    },
    async (id) => {
      await addFileDistribution(ctx, system, id, {
        filename: 'gdp-2025.csv',
        content: Buffer.from('quarter,gdp\n2025Q1,1234.5\n2025Q2,1301.2\n'),
        name: '2025年季度数据',
      });
      await addLinkDistribution(ctx, system, id, {
        name: 'Historical series (XLSX)',
        url: 'https://stats.example.gov.cn/gdp/history.xlsx',
        description: 'From 1990 on',
      });
      await addLinkDistribution(ctx, system, id, {
        name: 'GDP API',
        kind: 'api',
        url: 'https://api.example.gov.cn/gdp',
        format: 'JSON',
      });
    },
  );
  const cycles: DatasetDto[] = [];
  for (const cycle of CYCLES) {
    cycles.push(
      await publish({
        departmentId: stats.id,
        name: `dx-cycle-${cycle.replace('_', '-')}`,
        titleZh: `更新周期 ${cycle}`,
        titleEn: `Updated ${cycle}`,
        descriptionEn: 'English description only.',
        themeId: 'transport',
        openType: 'open',
        licenseId: 'odc-odbl',
        updateCycle: cycle,
        temporalStart: '2024-01-01',
      }),
    );
  }
  const closed = await publish({
    departmentId: stats.id,
    name: 'dx-closed',
    titleZh: '不开放的资源',
    openType: 'none',
    shareType: 'unconditional',
  });
  const draft = await createDataset(ctx, system, {
    departmentId: stats.id,
    name: 'dx-draft',
    titleZh: '草稿资源',
    openType: 'open',
    licenseId: 'cc-by',
  });
  return {
    full,
    minimal,
    cycles,
    closed,
    draft,
    publicNames: [full.name, minimal.name, ...cycles.map((c) => c.name)],
  };
}
