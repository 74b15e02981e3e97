import { describe, expect, it } from 'vitest';
import type { QualityCriterionId } from '../../../../contracts/datastore-quality.ts';
import { CRITERIA, type MetadataFacts, qualityScore, type TableFacts } from './score.ts';

// The score is a pure function of the facts: each criterion judged on its own, the total the points
// over the weights that apply.

const FULL: MetadataFacts = {
  licenseId: 'cc-by',
  licenseOpen: true,
  descriptionZh:
    '岚山市市场主体登记信息，包括企业名称、统一社会信用代码、成立日期、注册资本、经营状态和联系方式，每月更新。',
  descriptionEn:
    'Registered market entities of Lanshan City: name, unified social credit code, founding date, capital, status and contact, updated monthly.',
  temporalStart: '2020-01-01',
  temporalEnd: '2025-12-31',
  spatialCodes: ['339900'],
  updateCycle: 'monthly',
  overdue: false,
  distributions: [{ kind: 'file', format: 'CSV' }],
  contact: { name: '数据科', email: 'data@example.gov.cn' },
};

const TABLE: TableFacts = {
  columns: [
    { description: '企业名称', completeness: 100, conformity: 100 },
    { description: '成立日期', completeness: 100, conformity: 100 },
  ],
  rules: [{ status: 'checked', checked: 10, violations: 0 }],
  daysSinceVersion: 3,
};

const byId = (score: ReturnType<typeof qualityScore>) =>
  Object.fromEntries(score.criteria.map((c) => [c.id, c])) as Record<
    QualityCriterionId,
    (typeof score.criteria)[number]
  >;

describe('qualityScore', () => {
  it('weights add up to 100, half metadata and half data', () => {
    const weights = Object.values(CRITERIA);
    expect(weights.reduce((n, c) => n + c.weight, 0)).toBe(100);
    expect(weights.filter((c) => c.group === 'data').reduce((n, c) => n + c.weight, 0)).toBe(50);
  });

  it('gives 100 when every criterion is met, each criterion passing with its figures', () => {
    const score = qualityScore(FULL, [TABLE]);
    expect(score.total).toBe(100);
    expect(score.criteria.every((c) => c.status === 'pass' && c.points === c.weight)).toBe(true);
    expect(byId(score).documentation.detail).toMatchObject({ described: 2, columns: 2 });
  });

  it('gives nothing for empty metadata and an empty, late, rule-breaking table', () => {
    const score = qualityScore(
      {
        ...FULL,
        licenseId: null,
        licenseOpen: null,
        descriptionZh: '',
        descriptionEn: '  ',
        temporalStart: null,
        temporalEnd: null,
        spatialCodes: [],
        overdue: true,
        distributions: [{ kind: 'file', format: 'PDF' }],
        contact: null,
      },
      [
        {
          columns: [{ completeness: 0, conformity: 0 }],
          rules: [{ status: 'checked', checked: 4, violations: 4 }],
          daysSinceVersion: 400,
        },
      ],
    );
    expect(score.total).toBe(0);
    expect(score.criteria.every((c) => c.status === 'fail')).toBe(true);
  });

  it('gives partial credit where a criterion is half met', () => {
    const c = byId(
      qualityScore(
        {
          ...FULL,
          licenseId: 'other-closed',
          licenseOpen: false,
          descriptionZh: '市场主体登记信息摘要表',
          descriptionEn: 'Market entities, short list.',
          temporalEnd: null,
          distributions: [
            { kind: 'file', format: 'CSV' },
            { kind: 'file', format: 'PDF' },
            { kind: 'api', format: '' },
            { kind: 'link', format: 'DOC' },
          ],
          contact: { name: '数据科' },
        },
        [
          {
            ...TABLE,
            columns: [{ ...TABLE.columns[0]!, description: '' }, TABLE.columns[1]!],
            daysSinceVersion: 40,
          },
        ],
      ),
    );
    expect(c.licence).toMatchObject({ value: 0.5, status: 'partial', points: 4 });
    expect(c.description_zh).toMatchObject({ value: 0.5, detail: { chars: 11, wanted: 40 } });
    expect(c.description_en.value).toBe(0.5);
    expect(c.temporal_coverage.value).toBe(0.5);
    expect(c.open_format).toMatchObject({ value: 0.5, detail: { machineReadable: 2, distributions: 4 } });
    expect(c.contact.value).toBe(0.5);
    // One column of two described: 50% of the 80% wanted.
    expect(c.documentation.value).toBe(0.625);
    // 40 days against a 31-day month: late, but within two cycles.
    expect(c.timeliness).toMatchObject({ value: 0.5, detail: { daysSinceVersion: 40, cycleDays: 31 } });
  });

  it('averages data criteria over tables and measures rules by the share of values kept', () => {
    const c = byId(
      qualityScore(FULL, [
        {
          columns: [
            { completeness: 50, conformity: 80 },
            { completeness: 100, conformity: null },
          ],
          rules: [
            { status: 'checked', checked: 10, violations: 1 },
            { status: 'checked', checked: 4, violations: 2 },
            { status: 'skipped', checked: 0, violations: 0 },
          ],
          daysSinceVersion: 1,
        },
        { columns: [{ completeness: 100, conformity: 100 }], rules: [], daysSinceVersion: 100 },
      ]),
    );
    expect(c.completeness.value).toBeCloseTo((0.75 + 1) / 2, 3);
    // Rules apply to the first table only: (0.9 + 0.5) / 2; the skipped one counts for nothing.
    expect(c.rule_conformity).toMatchObject({ value: 0.7, detail: { rules: 2, violations: 3 } });
    expect(c.type_conformity.value).toBe(0.9);
    expect(c.timeliness.value).toBe(0.5);
  });

  it('leaves out what does not apply instead of counting it as failed', () => {
    const score = qualityScore({ ...FULL, updateCycle: 'irregular' }, []);
    const c = byId(score);
    for (const id of [
      'update_cycle_kept',
      'timeliness',
      'completeness',
      'rule_conformity',
      'documentation',
    ] as const)
      expect(c[id]).toMatchObject({ value: null, status: 'not_applicable', points: 0 });
    // Only metadata criteria apply, all met.
    expect(score.total).toBe(100);
    const rulesless = byId(qualityScore(FULL, [{ ...TABLE, rules: [] }]));
    expect(rulesless.rule_conformity.status).toBe('not_applicable');
  });

  it('totals the points over the weights that apply', () => {
    const score = qualityScore({ ...FULL, overdue: true }, [TABLE]);
    expect(byId(score).update_cycle_kept.status).toBe('fail');
    expect(score.total).toBe(92);
  });
});
