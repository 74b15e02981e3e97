import { Checkbox, Form, Input, InputNumber, Radio, Switch, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AccessRequest, MAX_RATE_PER_MINUTE } from '../../../../contracts/exchange.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { titleOf } from '../../catalog/text.ts';
import { useDecide, useExchangeSettings } from '../api.ts';
import {
  type DecisionFormValues,
  decisionProblems,
  initialDecision,
  toDecisionBody,
} from '../decision-form.ts';
import { columnCode, columnName } from '../display.ts';
import { type ColumnInfo, isPersonal } from '../request-form.ts';
import { FilterPairs, markFilterProblems } from './FilterPairs.tsx';

/** The owner's decision on a pending request: approve (possibly narrowed) or refuse with a reason. */
export function DecisionDialog({
  request,
  columns,
  open,
  onClose,
}: {
  request: AccessRequest;
  /** The table's dictionary columns (for labels and which are personal). */
  columns: ColumnInfo[];
  open: boolean;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<DecisionFormValues>();
  const decide = useDecide(request.id);
  const settings = useExchangeSettings().data;
  const maxDays = Math.min(request.durationDays, settings?.maxGrantDays ?? request.durationDays);
  const maxRate = settings?.maxRatePerMinute ?? MAX_RATE_PER_MINUTE;
  const [error, setError] = useState<unknown>();
  const decision = Form.useWatch('decision', form) ?? 'approve';
  const granted: string[] = Form.useWatch('fields', form) ?? request.fields;
  const byId = new Map(columns.map((c) => [c.id, c]));
  const label = (id: string) =>
    columnName(id, byId.has(id) ? [byId.get(id)!] : request.columnLabels, i18n.language);
  /** The name, with the API's id beside it where that adds something. */
  const labelWithCode = (id: string) => {
    const name = label(id);
    const code = columnCode(id, name);
    return code ? `${name} (${code})` : name;
  };
  const personal = granted.filter((f) => byId.has(f) && isPersonal(byId.get(f)!));
  const requesterFilter = Object.entries(request.rowFilter)
    .map(([k, v]) => `${label(k)} = ${v}`)
    .join(t('common.listSeparator'));

  const submit = async (values: DecisionFormValues) => {
    setError(undefined);
    const problems = decisionProblems(request, values, columns, {
      maxGrantDays: settings?.maxGrantDays,
      maxRatePerMinute: maxRate,
    });
    const filterBad =
      values.decision === 'approve' && markFilterProblems(t, form, 'extraFilter', values.extraFilter);
    if (Object.keys(problems).length > 0) {
      form.setFields(
        Object.entries(problems).map(([name, problem]) => ({
          name: name as keyof DecisionFormValues,
          errors: [t(`exchange.decision.problems.${problem}`, { max: maxDays, rateMax: maxRate })],
        })),
      );
      return;
    }
    if (filterBad) return;
    try {
      await decide.mutateAsync(toDecisionBody(request, values));
      onClose();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  return (
    <FormModal
      open={open}
      title={t('exchange.decision.title', { title: titleOf(request, i18n.language) })}
      okText={t('exchange.decision.submit')}
      busy={decide.isPending}
      error={error}
      form={form}
      onClose={onClose}
      intro={<Typography.Paragraph>{t('exchange.decision.intro')}</Typography.Paragraph>}
    >
      <Form<DecisionFormValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initialDecision(request)}
      >
        <Form.Item label={t('exchange.decision.decision')} name="decision">
          <Radio.Group
            aria-label={t('exchange.decision.decision')}
            options={[
              { value: 'approve', label: t('exchange.decision.approve') },
              { value: 'refuse', label: t('exchange.decision.refuse') },
            ]}
          />
        </Form.Item>
        {decision === 'approve' && (
          <>
            <Form.Item label={t('exchange.decision.fields')} name="fields">
              <Checkbox.Group
                aria-label={t('exchange.decision.fields')}
                style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
                options={request.fields.map((f) => ({ value: f, label: labelWithCode(f) }))}
              />
            </Form.Item>
            <FilterPairs
              name="extraFilter"
              label={t('exchange.decision.extraFilter')}
              extra={
                requesterFilter
                  ? t('exchange.decision.extraFilterHelp', { filter: requesterFilter })
                  : undefined
              }
              columns={request.fields.map((f) => ({ value: f, label: label(f) }))}
            />
            <Form.Item
              label={t('exchange.decision.durationDays')}
              name="durationDays"
              extra={t('exchange.decision.durationHelp', { max: maxDays })}
              rules={[{ required: true, message: t('validation.required') }]}
            >
              {/* No min/max here: the field would quietly correct the value on blur; submit says what is wrong. */}
              <InputNumber precision={0} style={{ width: 160 }} />
            </Form.Item>
            <Form.Item
              label={t('exchange.decision.rateLimit')}
              name="rateLimitPerMinute"
              extra={t('exchange.decision.rateLimitHelp')}
            >
              <InputNumber precision={0} style={{ width: 200 }} />
            </Form.Item>
            {personal.length > 0 ? (
              <Form.Item
                label={t('exchange.decision.clearFields')}
                name="clearFields"
                extra={t('exchange.decision.clearFieldsHelp')}
              >
                <Checkbox.Group
                  aria-label={t('exchange.decision.clearFields')}
                  options={personal.map((f) => ({ value: f, label: labelWithCode(f) }))}
                />
              </Form.Item>
            ) : (
              <Typography.Paragraph type="secondary">
                {t('exchange.decision.noPersonal')}
              </Typography.Paragraph>
            )}
            {request.confidential && (
              <Form.Item
                label={t('exchange.decision.confidential')}
                name="confidential"
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
            )}
          </>
        )}
        <Form.Item
          label={t('exchange.decision.reason')}
          name="reason"
          extra={t('exchange.decision.reasonHelp')}
          rules={
            decision === 'refuse'
              ? [
                  {
                    required: true,
                    whitespace: true,
                    message: t('exchange.decision.problems.reasonRequired'),
                  },
                ]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
