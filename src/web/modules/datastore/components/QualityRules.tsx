import { Table, type TableColumnsType, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ColumnProfile, QualityRule, RuleResult } from '../../../../contracts/datastore-quality.ts';
import { useCaption } from './caption.tsx';

/** A rule in words: its kind, and its parameters when it has any. */
export function describeRule(rule: QualityRule, t: TFunction): string {
  const kind = t(`datastore.quality.kinds.${rule.kind}`);
  const open = t('datastore.quality.describe.open');
  const withParams = (params: string) => t('datastore.quality.describe.withParams', { kind, params });
  switch (rule.kind) {
    case 'pattern':
      return withParams(t('datastore.quality.describe.pattern', { regex: rule.regex }));
    case 'range':
      return withParams(
        t('datastore.quality.describe.range', { min: rule.min ?? open, max: rule.max ?? open }),
      );
    case 'enum':
      return withParams(
        t('datastore.quality.describe.enum', { values: rule.values.join(t('common.listSeparator')) }),
      );
    case 'date_range':
      return withParams(
        t('datastore.quality.describe.date_range', { from: rule.from ?? open, to: rule.to ?? open }),
      );
    default:
      return kind;
  }
}

/** Each rule's result: values checked, violations, conformity and the first violating rows. */
export function QualityRules({
  results,
  columns,
}: {
  results: readonly RuleResult[];
  columns: readonly ColumnProfile[];
}) {
  const { t } = useTranslation();
  const caption = useCaption<RuleResult>(t('datastore.quality.rules.caption'));
  if (results.length === 0)
    return <Typography.Paragraph type="secondary">{t('datastore.quality.rules.none')}</Typography.Paragraph>;
  const labelOf = (id: string) => columns.find((c) => c.id === id)?.label ?? id;
  const tableColumns: TableColumnsType<RuleResult> = [
    {
      title: t('datastore.quality.rules.column'),
      key: 'column',
      render: (_: unknown, r) => labelOf(r.rule.column),
    },
    {
      title: t('datastore.quality.rules.rule'),
      key: 'rule',
      render: (_: unknown, r) => <span className="datastore-cell">{describeRule(r.rule, t)}</span>,
    },
    {
      title: t('datastore.quality.rules.checked'),
      key: 'checked',
      align: 'right',
      render: (_: unknown, r) => (r.status === 'skipped' ? '—' : r.checked.toLocaleString()),
    },
    {
      title: t('datastore.quality.rules.violations'),
      key: 'violations',
      align: 'right',
      render: (_: unknown, r) =>
        r.status === 'skipped' ? (
          t('datastore.quality.rules.skipped', {
            reason: t(`datastore.quality.rules.reason.${r.reason ?? 'unknown_column'}`),
          })
        ) : r.violations > 0 ? (
          <Typography.Text type="danger" strong>
            {r.violations.toLocaleString()}
          </Typography.Text>
        ) : (
          '0'
        ),
    },
    {
      title: t('datastore.quality.rules.conformity'),
      key: 'conformity',
      align: 'right',
      render: (_: unknown, r) => (r.conformity === null ? '—' : `${r.conformity}%`),
    },
    {
      title: t('datastore.quality.rules.examples'),
      key: 'examples',
      render: (_: unknown, r) =>
        r.examples.length === 0 ? (
          '—'
        ) : (
          <ul className="datastore-examples">
            {r.examples.map((e) => (
              <li key={e.id} className="datastore-cell">
                {t('datastore.quality.rules.example', {
                  id: e.id,
                  value: e.value ?? t('datastore.portal.nullValue'),
                })}
              </li>
            ))}
          </ul>
        ),
    },
  ];
  return (
    <Table<RuleResult>
      rowKey={(r) => JSON.stringify(r.rule)}
      size="small"
      columns={tableColumns}
      dataSource={[...results]}
      components={caption}
      pagination={false}
      scroll={{ x: 'max-content' }}
    />
  );
}
