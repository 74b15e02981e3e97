import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, DatePicker, Form, Input, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { emailRule } from '../../identity/validation.ts';
import { DATASET_NAME, REGION_CODE } from '../constants.ts';

const half = { xs: 24, md: 12 };

/** Temporal and spatial coverage, related resources and free key/value pairs (CKAN extras). */
export function CoverageFields({ selfName }: { selfName?: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Row gutter={16}>
        <Col {...half}>
          <Form.Item label={t('catalog.fields.temporalStart')} name="temporalStart">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col {...half}>
          <Form.Item
            label={t('catalog.fields.temporalEnd')}
            name="temporalEnd"
            dependencies={['temporalStart']}
            rules={[
              ({ getFieldValue }) => ({
                validator: async (_r, end: Dayjs | null | undefined) => {
                  const start = getFieldValue('temporalStart') as Dayjs | null | undefined;
                  if (start && end?.isBefore(start, 'day')) throw new Error(t('catalog.rules.temporalOrder'));
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        label={t('catalog.fields.spatialCodes')}
        name="spatialCodes"
        extra={t('catalog.form.spatialHelp')}
        rules={[
          {
            validator: async (_r, codes: string[] | undefined) => {
              const bad = (codes ?? []).find((c) => !REGION_CODE.test(c.trim()));
              if (bad) throw new Error(t('validation.regionCode'));
            },
          },
        ]}
      >
        <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} suffixIcon={null} />
      </Form.Item>
      <Form.Item
        label={t('catalog.fields.related')}
        name="related"
        extra={t('catalog.form.relatedHelp')}
        rules={[
          {
            validator: async (_r, names: string[] | undefined) => {
              for (const n of names ?? []) {
                if (!DATASET_NAME.test(n.trim())) throw new Error(t('catalog.form.namePattern'));
                if (selfName && n.trim() === selfName) throw new Error(t('catalog.rules.relatedSelf'));
              }
            },
          },
        ]}
      >
        <Select mode="tags" open={false} tokenSeparators={[',', '，', ' ']} suffixIcon={null} />
      </Form.Item>
      <fieldset className="catalog-fieldset">
        <legend>{t('catalog.fields.contact')}</legend>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item
              label={t('catalog.fields.contactName')}
              name={['contact', 'name']}
              dependencies={[
                ['contact', 'email'],
                ['contact', 'phone'],
              ]}
              rules={[
                ({ getFieldValue }) => ({
                  validator: async (_r, name: string | undefined) => {
                    const other = getFieldValue(['contact', 'email']) || getFieldValue(['contact', 'phone']);
                    if (other && !name?.trim()) throw new Error(t('catalog.form.contactNameRequired'));
                  },
                }),
              ]}
            >
              <Input maxLength={100} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('fields.email')} name={['contact', 'email']} rules={[emailRule(t)]}>
              <Input type="email" maxLength={200} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item label={t('catalog.fields.contactPhone')} name={['contact', 'phone']}>
              <Input type="tel" maxLength={40} autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
      </fieldset>
      <fieldset className="catalog-fieldset">
        <legend>{t('catalog.fields.extras')}</legend>
        <Form.List name="extras">
          {(rows, { add, remove }) => (
            <>
              {rows.map((row, index) => (
                <div
                  key={row.key}
                  style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'flex-start' }}
                >
                  <Form.Item
                    name={[row.name, 'key']}
                    label={t('catalog.form.extraKey')}
                    rules={[
                      { required: true, whitespace: true, message: t('validation.required') },
                      { max: 100 },
                    ]}
                    style={{ flex: '1 1 160px' }}
                  >
                    <Input maxLength={100} />
                  </Form.Item>
                  <Form.Item
                    name={[row.name, 'value']}
                    label={t('catalog.form.extraValue')}
                    style={{ flex: '2 1 220px' }}
                  >
                    <Input maxLength={5000} />
                  </Form.Item>
                  <Button
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('catalog.form.removeExtra', { n: index + 1 })}
                    onClick={() => remove(row.name)}
                    style={{ marginTop: 30 }}
                  />
                </div>
              ))}
              <Button icon={<PlusOutlined aria-hidden />} onClick={() => add({ key: '', value: '' })}>
                {t('catalog.form.addExtra')}
              </Button>
            </>
          )}
        </Form.List>
      </fieldset>
    </>
  );
}
