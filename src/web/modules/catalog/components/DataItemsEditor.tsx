import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DATA_ITEM_TYPES } from '../constants.ts';

/**
 * The resource's data items (its columns), one row each: name, type, description. Row fields are
 * labelled per row for screen readers; names must be unique, as the server requires.
 */
export function DataItemsEditor() {
  const { t } = useTranslation();
  const typeOptions = DATA_ITEM_TYPES.map((ty) => ({
    value: ty,
    label: t(`catalog.enums.dataItemType.${ty}`),
  }));
  return (
    <Form.List name="dataItems">
      {(rows, { add, remove }) => (
        <>
          {rows.length === 0 && (
            <Typography.Paragraph type="secondary">{t('catalog.dataset.noItems')}</Typography.Paragraph>
          )}
          {rows.map((row, index) => (
            <fieldset key={row.key} className="catalog-item-row">
              <legend className="visually-hidden">{t('catalog.form.itemRow', { n: index + 1 })}</legend>
              <Form.Item
                name={[row.name, 'name']}
                label={t('catalog.form.itemName')}
                rules={[
                  { required: true, whitespace: true, message: t('validation.required') },
                  { max: 100 },
                  ({ getFieldValue }) => ({
                    validator: async (_r, value: string | undefined) => {
                      const names = ((getFieldValue('dataItems') ?? []) as { name?: string }[]).map((i) =>
                        i?.name?.trim(),
                      );
                      if (value?.trim() && names.filter((n) => n === value.trim()).length > 1)
                        throw new Error(t('catalog.rules.duplicateItem'));
                    },
                  }),
                ]}
                style={{ flex: '1 1 160px' }}
              >
                <Input maxLength={100} spellCheck={false} />
              </Form.Item>
              <Form.Item
                name={[row.name, 'type']}
                label={t('catalog.form.itemType')}
                rules={[{ required: true, message: t('validation.required') }]}
                style={{ flex: '0 1 150px' }}
              >
                <Select options={typeOptions} />
              </Form.Item>
              <Form.Item
                name={[row.name, 'description']}
                label={t('catalog.form.itemDescription')}
                style={{ flex: '2 1 220px' }}
              >
                <Input maxLength={500} />
              </Form.Item>
              <Button
                icon={<DeleteOutlined aria-hidden />}
                aria-label={t('catalog.form.removeItem', { n: index + 1 })}
                onClick={() => remove(row.name)}
                style={{ marginTop: 30 }}
              />
            </fieldset>
          ))}
          <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ name: '', type: 'string' })}>
            {t('catalog.form.addItem')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
