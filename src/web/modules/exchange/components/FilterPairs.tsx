import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, type FormInstance, Input, Select, Space } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { type FilterPair, filterProblems, MAX_FILTER_PAIRS } from '../request-form.ts';

/**
 * Row-filter conditions as column + value pairs (Form.List under `name`). Each control is
 * labelled with its position, so screen readers tell "column of condition 2" from the others.
 */
export function FilterPairs({
  name,
  label,
  extra,
  columns,
}: {
  name: string;
  label: string;
  extra?: React.ReactNode;
  columns: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label} extra={extra}>
      <Form.List name={name}>
        {(items, { add, remove }) => (
          <>
            {items.map((item, i) => (
              <Space key={item.key} align="start" wrap style={{ display: 'flex', marginBottom: 8 }}>
                <Form.Item name={[item.name, 'column']} style={{ marginBottom: 0 }}>
                  <Select
                    aria-label={t('exchange.form.filterColumn', { index: i + 1 })}
                    options={columns}
                    showSearch={{ optionFilterProp: 'label' }}
                    style={{ width: 220 }}
                  />
                </Form.Item>
                <Form.Item name={[item.name, 'value']} style={{ marginBottom: 0 }}>
                  <Input aria-label={t('exchange.form.filterValue', { index: i + 1 })} maxLength={200} />
                </Form.Item>
                <Button
                  icon={<DeleteOutlined aria-hidden />}
                  aria-label={t('exchange.form.removeFilter', { index: i + 1 })}
                  onClick={() => remove(item.name)}
                />
              </Space>
            ))}
            {items.length < MAX_FILTER_PAIRS && (
              <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({})}>
                {t('exchange.form.addFilter')}
              </Button>
            )}
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

/** Puts the filter problems on the pairs' own controls; returns whether there were any. */
export function markFilterProblems(
  t: TFunction,
  form: FormInstance,
  name: string,
  pairs: readonly FilterPair[] | undefined,
): boolean {
  const problems = filterProblems(pairs);
  form.setFields(
    [...problems].map(([i, problem]) => ({
      name: [name, i, problem === 'valueMissing' ? 'value' : 'column'],
      errors: [t(`exchange.form.problems.${problem}`)],
    })),
  );
  return problems.size > 0;
}
