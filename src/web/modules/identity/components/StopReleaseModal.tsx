import { Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { useStopRelease } from '../api.ts';

/** The account whose pending release is stopped: its id, the name to show and the due date the server gave. */
export interface PendingReleaseTarget {
  id: string;
  name: string;
  dueAt: string;
}

/**
 * Stops a counter's pending release of an account's ID number, with the reason (audited on the
 * server): the holder called the hotline, or the release was asked in error.
 */
export function StopReleaseModal({
  open,
  target,
  onClose,
  onDone,
}: {
  open: boolean;
  target: PendingReleaseTarget | undefined;
  onClose: () => void;
  onDone: (target: PendingReleaseTarget) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const stop = useStopRelease();
  const [error, setError] = useState<unknown>();

  const submit = async (values: { reason: string }) => {
    if (!target) return;
    setError(undefined);
    try {
      await stop.mutateAsync({ id: target.id, reason: (values.reason ?? '').trim() });
      onDone(target);
      onClose();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'identity.release_not_pending') {
        setError(new Error(t('people.identity.errors.release_not_pending')));
      } else if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  return (
    <FormModal
      open={open}
      title={t('people.identity.stopReleaseTitle', { name: target?.name ?? '' })}
      okText={t('people.identity.stopConfirm')}
      busy={stop.isPending}
      error={error}
      form={form}
      onClose={onClose}
      intro={
        <Typography.Paragraph>
          {t('people.identity.stopReleaseHelp', {
            date: target ? new Date(target.dueAt).toLocaleDateString() : '',
          })}
        </Typography.Paragraph>
      }
    >
      <Form form={form} layout="vertical" name="stop-release" onFinish={submit}>
        <Form.Item
          label={t('people.identity.stopReason')}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}
        >
          <Input maxLength={200} showCount placeholder={t('people.identity.stopReasonPlaceholder')} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
