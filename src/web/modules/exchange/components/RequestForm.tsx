import {
  Button,
  Checkbox,
  Form,
  type GetProps,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Tag,
} from 'antd';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { SharedResource } from '../../../../contracts/exchange.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { nameOf } from '../../catalog/text.ts';
import { useDepartments } from '../../identity/api.ts';
import {
  DEFAULT_DURATION_DAYS,
  durationInRange,
  fieldOptions,
  isRequestable,
  type RequestFormValues,
  refusedMaxDays,
} from '../request-form.ts';
import { FilterPairs, markFilterProblems } from './FilterPairs.tsx';

/** Text length rule with a message that names the limits. */
const lengthRule = (t: TFunction, min: number, max: number) => ({
  validator: (_: unknown, value: string | undefined) => {
    const n = value?.trim().length ?? 0;
    return n >= min && n <= max
      ? Promise.resolve()
      : Promise.reject(
          new Error(
            n === 0 ? t('validation.required') : t('exchange.form.problems.textLength', { min, max }),
          ),
        );
  },
});

/**
 * The access request form: table, requesting department, columns (secret ones disabled with the
 * reason), optional row filter, purpose and legal basis, duration and volume, system and delivery.
 */
export function RequestForm({
  resource,
  distributionId,
  requesterIds,
  maxDays,
  busy,
  onSubmit,
}: {
  resource: SharedResource;
  distributionId: string | undefined;
  requesterIds: string[];
  /** The longest duration the platform grants (GET /api/exchange/settings). */
  maxDays: number;
  busy: boolean;
  onSubmit: (values: RequestFormValues) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<RequestFormValues>();
  const departments = useDepartments();
  const chosen =
    Form.useWatch('distributionId', form) ?? distributionId ?? resource.tables[0]?.distributionId;
  const table = resource.tables.find((x) => x.distributionId === chosen);
  const options = useMemo(() => fieldOptions(table?.columns ?? [], i18n.language), [table, i18n.language]);
  const hasSecret = options.some((o) => o.disabled);

  const finish = async (values: RequestFormValues) => {
    if (markFilterProblems(t, form, 'rowFilter', values.rowFilter)) return;
    try {
      await onSubmit(values);
    } catch (err) {
      // The page shows the error above the form; fields it names are marked as well.
      const max = refusedMaxDays(err);
      if (max !== undefined)
        form.setFields([
          { name: 'durationDays', errors: [t('exchange.form.problems.durationRange', { max })] },
        ]);
      else applyFieldErrors(t, form, err);
    }
  };

  return (
    <Form<RequestFormValues>
      form={form}
      layout="vertical"
      style={{ maxWidth: 760 }}
      onFinish={(v) => finish(v)}
      initialValues={{
        distributionId: chosen,
        requesterDepartmentId: requesterIds.length === 1 ? requesterIds[0] : undefined,
        fields: [],
        rowFilter: [],
        durationDays: Math.min(DEFAULT_DURATION_DAYS, maxDays),
        delivery: 'api',
        confidential: false,
      }}
      onValuesChange={(changed) => {
        // Another table has other columns: start the choice again.
        if ('distributionId' in changed) form.setFieldsValue({ fields: [], rowFilter: [] });
      }}
    >
      <Form.Item
        label={t('exchange.form.table')}
        name="distributionId"
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Select
          options={resource.tables.map((x) => ({
            value: x.distributionId,
            label: `${x.name} (${t('exchange.resource.rowCount', { count: x.rowCount })})`,
          }))}
        />
      </Form.Item>
      <Form.Item
        label={t('exchange.form.requesterDepartment')}
        name="requesterDepartmentId"
        extra={t('exchange.form.requesterHelp')}
        rules={[{ required: true, message: t('validation.required') }]}
      >
        <Select
          options={requesterIds.map((id) => {
            const d = departments.data?.find((x) => x.id === id);
            return { value: id, label: d ? nameOf(d, i18n.language) : id };
          })}
        />
      </Form.Item>
      <Form.Item
        label={t('exchange.form.fields')}
        name="fields"
        extra={
          <>
            {t('exchange.form.fieldsHelp')}
            {hasSecret && <div>{t('exchange.form.secretHelp')}</div>}
          </>
        }
        rules={[
          { required: true, type: 'array', min: 1, message: t('exchange.form.problems.fieldsRequired') },
        ]}
      >
        <FieldChecks
          aria-label={t('exchange.form.fields')}
          style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
        >
          {options.map((o) => (
            <Checkbox key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
              {o.code && (
                <>
                  {' '}
                  <code>{o.code}</code>
                </>
              )}{' '}
              {o.disabled ? (
                <Tag color="error">{t('exchange.form.secretTag')}</Tag>
              ) : (
                o.sensitivity === 'personal' && <Tag color="processing">{t('exchange.form.personalTag')}</Tag>
              )}
            </Checkbox>
          ))}
        </FieldChecks>
      </Form.Item>
      <Button
        size="small"
        style={{ marginTop: -12, marginBottom: 16 }}
        onClick={() =>
          form.setFieldsValue({ fields: (table?.columns ?? []).filter(isRequestable).map((c) => c.id) })
        }
      >
        {t('exchange.form.selectAll')}
      </Button>
      <FilterPairs
        name="rowFilter"
        label={t('exchange.form.rowFilter')}
        extra={t('exchange.form.rowFilterHelp')}
        columns={options.filter((o) => !o.disabled).map((o) => ({ value: o.value, label: o.label }))}
      />
      <Form.Item
        label={t('exchange.form.purpose')}
        name="purpose"
        extra={t('exchange.form.purposeHelp')}
        rules={[lengthRule(t, 2, 2000)]}
      >
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      <Form.Item
        label={t('exchange.form.legalBasis')}
        name="legalBasis"
        extra={t('exchange.form.legalBasisHelp')}
        rules={[lengthRule(t, 2, 1000)]}
      >
        <Input.TextArea rows={2} maxLength={1000} />
      </Form.Item>
      <Space wrap size="large" align="start">
        <Form.Item
          label={t('exchange.form.durationDays')}
          name="durationDays"
          rules={[
            {
              validator: (_: unknown, value: unknown) =>
                durationInRange(value, maxDays)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('exchange.form.problems.durationRange', { max: maxDays }))),
            },
          ]}
        >
          {/* No min/max on the input: it would quietly correct the value; the rule says what is wrong. */}
          <InputNumber precision={0} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          label={t('exchange.form.expectedCallsPerDay')}
          name="expectedCallsPerDay"
          rules={[
            { type: 'integer', min: 0, max: 100_000_000, message: t('exchange.form.problems.callsRange') },
          ]}
        >
          <InputNumber min={0} max={100_000_000} precision={0} style={{ width: 200 }} />
        </Form.Item>
      </Space>
      <Form.Item
        label={t('exchange.form.systemName')}
        name="systemName"
        extra={t('exchange.form.systemNameHelp')}
        rules={[lengthRule(t, 1, 200)]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item label={t('exchange.form.delivery')} name="delivery">
        <Radio.Group
          aria-label={t('exchange.form.delivery')}
          options={(['api', 'file'] as const).map((d) => ({
            value: d,
            label: t(`exchange.enums.delivery.${d}`),
          }))}
        />
      </Form.Item>
      <Form.Item
        label={t('exchange.form.confidential')}
        name="confidential"
        valuePropName="checked"
        extra={t('exchange.form.confidentialHelp')}
      >
        <Switch />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('exchange.form.submit')}
      </Button>
    </Form>
  );
}

/**
 * The field checkboxes. Form.Item marks a required control `aria-required`, which a group of
 * checkboxes may not carry (axe: aria-allowed-attr); the asterisk and the error message say it.
 */
function FieldChecks({
  'aria-required': _required,
  ...props
}: GetProps<typeof Checkbox.Group> & { 'aria-required'?: unknown }) {
  return <Checkbox.Group {...props} />;
}
