import { Table, type TableColumnsType, Tag } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { QualityCriterion } from '../../../../contracts/datastore-quality.ts';
import { STATUS_COLOR } from '../quality.ts';
import { useCaption } from './caption.tsx';

/** The figures of a criterion's detail as words for its explanation (absent values read "not given"). */
function paramsOf(c: QualityCriterion, t: TFunction): Record<string, unknown> {
  const d = c.detail;
  const given = (v: unknown) => (v === null || v === undefined || v === '' ? t('datastore.quality.none') : v);
  const yesNo = (v: unknown) => t(v ? 'datastore.quality.yes' : 'datastore.quality.no');
  return {
    ...d,
    licence: given(d.licenseId),
    start: given(d.start),
    end: given(d.end),
    cycle: typeof d.updateCycle === 'string' ? t(`catalog.enums.updateCycle.${d.updateCycle}`) : '',
    overdue: t(d.overdue ? 'datastore.quality.overdue' : 'datastore.quality.onTime'),
    name: yesNo(d.name),
    email: yesNo(d.email),
    phone: yesNo(d.phone),
    share: typeof d.wantedShare === 'number' ? Math.round(d.wantedShare * 100) : 80,
    days: d.daysSinceVersion,
  };
}

/** What a criterion measures, then (when it applies) the figures this table's value came from. */
function explain(c: QualityCriterion, t: TFunction): string {
  const key = `datastore.quality.criterion.${c.id}`;
  const params = paramsOf(c, t);
  const about = t(`${key}.about`, params);
  return c.status === 'not_applicable' ? about : `${about} ${t(`${key}.figures`, params)}`;
}

/** The score's criteria: group, points earned of the weight, status, and why. */
export function QualityCriteria({ criteria }: { criteria: readonly QualityCriterion[] }) {
  const { t } = useTranslation();
  const caption = useCaption<QualityCriterion>(t('datastore.quality.criteria.caption'));
  const columns: TableColumnsType<QualityCriterion> = [
    {
      title: t('datastore.quality.criteria.criterion'),
      key: 'name',
      render: (_: unknown, c) => t(`datastore.quality.criterion.${c.id}.name`),
    },
    {
      title: t('datastore.quality.criteria.group'),
      key: 'group',
      render: (_: unknown, c) => t(`datastore.quality.groups.${c.group}`),
    },
    {
      title: t('datastore.quality.criteria.points'),
      key: 'points',
      align: 'right',
      render: (_: unknown, c) =>
        c.status === 'not_applicable'
          ? '—'
          : t('datastore.quality.criteria.pointsValue', { points: c.points, weight: c.weight }),
    },
    {
      title: t('datastore.quality.criteria.status'),
      key: 'status',
      render: (_: unknown, c) => (
        <Tag color={STATUS_COLOR[c.status]}>{t(`datastore.quality.statuses.${c.status}`)}</Tag>
      ),
    },
    {
      title: t('datastore.quality.criteria.explain'),
      key: 'explain',
      render: (_: unknown, c) => explain(c, t),
    },
  ];
  return (
    <Table<QualityCriterion>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={[...criteria]}
      components={caption}
      pagination={false}
      // A fixed minimum: the explanations wrap on wide screens and scroll sideways on phones.
      scroll={{ x: 720 }}
    />
  );
}
