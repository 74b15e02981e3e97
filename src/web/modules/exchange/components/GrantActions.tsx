import { App, Button, Form, Input, InputNumber, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Grant } from '../../../../contracts/exchange.ts';
import { applyFieldErrors, useErrorText } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { useDialog } from '../../../ui/useDialog.ts';
import { useExchangeSettings, useGrantAction } from '../api.ts';
import type { grantActions } from '../permissions.ts';
import { DEFAULT_DURATION_DAYS, durationInRange, refusedMaxDays } from '../request-form.ts';

type Allowed = ReturnType<typeof grantActions>;
type Dialog = 'renew' | 'suspend' | 'revoke';

/** Renew (days), suspend or revoke (with a reason) in a dialog; resume after a confirmation. */
export function GrantActions({ grant, allowed }: { grant: Grant; allowed: Allowed }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const action = useGrantAction(grant.id);
  const dialog = useDialog<Dialog>();
  const [form] = Form.useForm<{ days?: number; reason?: string }>();
  const [error, setError] = useState<unknown>();
  const kind = dialog.value;
  const maxDays = useExchangeSettings().data?.maxGrantDays ?? DEFAULT_DURATION_DAYS;

  const submit = async (v: { days?: number; reason?: string }) => {
    if (!kind) return;
    setError(undefined);
    try {
      await action.mutateAsync({
        action: kind,
        ...(kind === 'renew' ? { days: v.days } : {}),
        ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
      });
      message.success(t('exchange.actions.done'));
      dialog.hide();
    } catch (err) {
      const max = refusedMaxDays(err);
      if (max !== undefined)
        form.setFields([{ name: 'days', errors: [t('exchange.form.problems.durationRange', { max })] }]);
      else if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };
  const open = (k: Dialog) => {
    setError(undefined);
    dialog.show(k);
  };

  if (!allowed.renew && !allowed.suspend && !allowed.resume && !allowed.revoke) return null;
  return (
    <>
      <Space wrap>
        {allowed.renew && <Button onClick={() => open('renew')}>{t('exchange.actions.renew')}</Button>}
        {allowed.suspend && <Button onClick={() => open('suspend')}>{t('exchange.actions.suspend')}</Button>}
        {allowed.resume && (
          <Popconfirm
            title={t('exchange.actions.resumeConfirm')}
            okText={t('exchange.actions.resume')}
            cancelText={t('common.cancel')}
            onConfirm={async () => {
              try {
                await action.mutateAsync({ action: 'resume' });
                message.success(t('exchange.actions.done'));
              } catch (err) {
                message.error(errorText(err));
              }
            }}
          >
            <Button>{t('exchange.actions.resume')}</Button>
          </Popconfirm>
        )}
        {allowed.revoke && (
          <Button danger onClick={() => open('revoke')}>
            {t('exchange.actions.revoke')}
          </Button>
        )}
      </Space>
      <FormModal
        key={dialog.key}
        open={dialog.open}
        title={t(
          kind === 'renew'
            ? 'exchange.actions.renewTitle'
            : kind === 'suspend'
              ? 'exchange.actions.suspendTitle'
              : 'exchange.actions.revokeTitle',
        )}
        okText={t(
          kind === 'renew'
            ? 'exchange.actions.renew'
            : kind === 'suspend'
              ? 'exchange.actions.suspend'
              : 'exchange.actions.revoke',
        )}
        busy={action.isPending}
        error={error}
        form={form}
        onClose={dialog.hide}
        intro={
          kind === 'revoke' ? (
            <Typography.Paragraph type="danger">{t('exchange.actions.revokeIntro')}</Typography.Paragraph>
          ) : kind === 'suspend' ? (
            <Typography.Paragraph>{t('exchange.actions.suspendIntro')}</Typography.Paragraph>
          ) : undefined
        }
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ days: Math.min(DEFAULT_DURATION_DAYS, maxDays) }}
          // A server error about the old value is stale once the value changes.
          onValuesChange={() => setError(undefined)}
        >
          {kind === 'renew' && (
            <Form.Item
              label={t('exchange.actions.renewDays')}
              name="days"
              rules={[
                {
                  validator: (_: unknown, value: unknown) =>
                    durationInRange(value, maxDays)
                      ? Promise.resolve()
                      : Promise.reject(
                          new Error(t('exchange.form.problems.durationRange', { max: maxDays })),
                        ),
                },
              ]}
            >
              {/* No min/max on the input: it would quietly correct the value; the rule says what is wrong. */}
              <InputNumber precision={0} style={{ width: 160 }} />
            </Form.Item>
          )}
          <Form.Item
            label={t('exchange.actions.reason')}
            name="reason"
            rules={
              kind === 'revoke' || kind === 'suspend'
                ? [{ required: true, whitespace: true, message: t('validation.required') }]
                : []
            }
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </FormModal>
    </>
  );
}
