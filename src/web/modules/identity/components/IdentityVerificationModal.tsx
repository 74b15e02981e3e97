import { Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonDto } from '../../../../contracts/identity.ts';
import { ApiError } from '../../../app/api.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { useRevokeIdentity } from '../api.ts';

/** The identity codes this dialog can meet, translated here (identity.<code> → people.identity.errors.<code>). */
const KNOWN = new Set(['already_verified', 'not_verified', 'not_verifiable']);

/**
 * Withdraws a resident's or business's real-name verification made in error, with the reason
 * (audited on the server). Verifying is not done here: it needs the holder's counter code, so it
 * happens at the counter page.
 */
export function IdentityVerificationModal({
  open,
  person,
  onClose,
  onDone,
}: {
  open: boolean;
  person: PersonDto | undefined;
  onClose: () => void;
  onDone: (person: PersonDto) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const revoke = useRevokeIdentity();
  const [error, setError] = useState<unknown>();

  const submit = async (values: { reason: string }) => {
    if (!person) return;
    setError(undefined);
    try {
      await revoke.mutateAsync({ id: person.id, reason: (values.reason ?? '').trim() });
      onDone(person);
      onClose();
    } catch (err) {
      const code = err instanceof ApiError ? err.code.replace(/^identity\./, '') : '';
      if (KNOWN.has(code)) setError(new Error(t(`people.identity.errors.${code}`)));
      else if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  return (
    <FormModal
      open={open}
      title={t('people.identity.revokeTitle', { name: person?.displayName ?? '' })}
      okText={t('people.identity.revoke')}
      busy={revoke.isPending}
      error={error}
      form={form}
      onClose={onClose}
      intro={<Typography.Paragraph>{t('people.identity.revokeHelp')}</Typography.Paragraph>}
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          label={t('people.identity.reason')}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}
        >
          <Input maxLength={200} showCount />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
