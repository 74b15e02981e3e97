import { Col, Form, Input, InputNumber, Radio, Row, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HarvestSourceDto } from '../../../../../contracts/harvest.ts';
import { useErrorText } from '../../../../app/errors.ts';
import { FormModal } from '../../../../ui/FormModal.tsx';
import { DepartmentSelect } from '../../../identity/components/DepartmentSelect.tsx';
import { useCreateHarvestSource, useUpdateHarvestSource } from '../api.ts';
import {
  HARVEST_KINDS,
  HARVEST_LIMIT_BOUNDS,
  HARVEST_SCHEDULES,
  HARVEST_SOURCE_NAME,
  isHttpUrl,
} from '../constants.ts';
import {
  bytesToMb,
  type SourceFormValues,
  sourceFieldErrors,
  toCreateInput,
  toFormValues,
  toUpdateInput,
} from '../source-form.ts';
import '../../catalog.css';

const half = { xs: 24, sm: 12 };
const MB_BOUNDS = {
  // The API's 1 KiB floor, shown as the smallest figure two decimals can say.
  min: 0.01,
  max: bytesToMb(HARVEST_LIMIT_BOUNDS.maxResponseBytes.max),
};

/**
 * Registers a harvest source, or edits one (`source` given; its name stays). Server errors land on
 * the fields they name. Render with useDialog's key so each opening starts fresh.
 */
export function SourceFormModal({
  open,
  source,
  onClose,
  onSaved,
}: {
  open: boolean;
  source: HarvestSourceDto | undefined;
  onClose: () => void;
  onSaved: (source: HarvestSourceDto, created: boolean) => void;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<SourceFormValues>();
  const create = useCreateHarvestSource();
  const update = useUpdateHarvestSource();
  const [error, setError] = useState<unknown>();
  const kind = Form.useWatch('kind', form) ?? source?.kind ?? 'ckan';

  const submit = async (values: SourceFormValues) => {
    setError(undefined);
    try {
      const saved = source
        ? await update.mutateAsync({ id: source.id, ...toUpdateInput(values) })
        : await create.mutateAsync(toCreateInput(values));
      onSaved(saved, !source);
    } catch (err) {
      const fields = sourceFieldErrors(t, err, errorText);
      if (fields.length > 0) form.setFields(fields);
      else setError(err);
    }
  };

  const required = { required: true, message: t('validation.required') };
  const limit = (name: 'maxPages' | 'maxSeconds' | 'maxDatasets') => (
    <Col {...half}>
      <Form.Item label={t(`catalog.harvest.fields.${name}`)} name={name} rules={[required]}>
        <InputNumber
          min={HARVEST_LIMIT_BOUNDS[name].min}
          max={HARVEST_LIMIT_BOUNDS[name].max}
          precision={0}
          style={{ width: '100%' }}
        />
      </Form.Item>
    </Col>
  );
  return (
    <FormModal
      open={open}
      title={
        source ? t('catalog.harvest.editTitle', { name: source.name }) : t('catalog.harvest.createTitle')
      }
      okText={t('common.save')}
      busy={create.isPending || update.isPending}
      error={error}
      form={form}
      onClose={onClose}
    >
      <Form<SourceFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={toFormValues(source)}
      >
        <Form.Item
          label={t('catalog.harvest.fields.name')}
          name="name"
          extra={t('catalog.harvest.form.nameHelp')}
          normalize={(v?: string) => v?.toLowerCase()}
          rules={
            source
              ? []
              : [
                  { ...required, whitespace: true },
                  { min: 2, max: 50, message: t('catalog.harvest.form.nameLength') },
                  { pattern: HARVEST_SOURCE_NAME, message: t('catalog.harvest.form.namePattern') },
                ]
          }
        >
          <Input spellCheck={false} maxLength={50} disabled={!!source} />
        </Form.Item>
        <Form.Item
          label={t('catalog.harvest.fields.title')}
          name="title"
          rules={[{ ...required, whitespace: true }, { max: 200 }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('catalog.harvest.fields.kind')} name="kind">
          <Radio.Group
            aria-label={t('catalog.harvest.fields.kind')}
            optionType="button"
            options={HARVEST_KINDS.map((k) => ({ value: k, label: t(`catalog.harvest.enums.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('catalog.harvest.fields.url')}
          name="url"
          extra={
            kind === 'dcat' ? t('catalog.harvest.form.urlHelpDcat') : t('catalog.harvest.form.urlHelpCkan')
          }
          rules={[
            { ...required, whitespace: true },
            {
              validator: async (_rule, value?: string) => {
                if (value?.trim() && !isHttpUrl(value.trim()))
                  throw new Error(t('catalog.harvest.form.urlPattern'));
              },
            },
            { max: 2000 },
          ]}
        >
          <Input type="url" inputMode="url" spellCheck={false} maxLength={2000} />
        </Form.Item>
        <Form.Item
          label={t('fields.department')}
          name="departmentId"
          extra={t('catalog.harvest.form.departmentHelp')}
          rules={[required]}
        >
          <DepartmentSelect placeholder={t('catalog.harvest.form.chooseDepartment')} />
        </Form.Item>
        <Form.Item label={t('catalog.harvest.fields.schedule')} name="schedule">
          <Select
            options={HARVEST_SCHEDULES.map((s) => ({
              value: s,
              label: t(`catalog.harvest.enums.schedule.${s}`),
            }))}
          />
        </Form.Item>
        <fieldset className="catalog-fieldset">
          <legend>{t('catalog.harvest.limits')}</legend>
          <Typography.Paragraph type="secondary">{t('catalog.harvest.form.limitsHelp')}</Typography.Paragraph>
          <Row gutter={16}>
            {limit('maxPages')}
            <Col {...half}>
              <Form.Item
                label={t('catalog.harvest.fields.maxResponseMb')}
                name="maxResponseMb"
                rules={[required]}
              >
                <InputNumber
                  min={MB_BOUNDS.min}
                  max={MB_BOUNDS.max}
                  precision={2}
                  style={{ width: '100%' }}
                />
              </Form.Item>
            </Col>
            {limit('maxSeconds')}
            {limit('maxDatasets')}
          </Row>
        </fieldset>
      </Form>
    </FormModal>
  );
}
