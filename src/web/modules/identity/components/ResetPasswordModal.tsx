import { Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonDto } from '../../../../contracts/identity.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { PasswordHints, passwordRule } from '../../../ui/password.tsx';
import { useResetPassword } from '../api.ts';

/** Sets a new password for someone who lost theirs; they should change it at next sign-in. */
export function ResetPasswordModal({
  open,
  person,
  onClose,
}: {
  open: boolean;
  person: PersonDto | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useResetPassword();
  const [error, setError] = useState<unknown>();
  const password: string = Form.useWatch('password', form) ?? '';

  const submit = async ({ password }: { password: string }) => {
    if (!person) return;
    setError(undefined);
    try {
      await reset.mutateAsync({ id: person.id, password });
      onClose();
    } catch (err) {
      if (!applyFieldErrors(t, form, err, { 'identity.weak_password': 'password' })) setError(err);
    }
  };

  return (
    <FormModal
      open={open}
      title={t('people.resetTitle', { name: person?.username ?? '' })}
      okText={t('people.resetPassword')}
      busy={reset.isPending}
      error={error}
      form={form}
      onClose={onClose}
      intro={<Typography.Paragraph>{t('people.resetHelp')}</Typography.Paragraph>}
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          label={t('fields.newPassword')}
          name="password"
          rules={[{ required: true, message: t('validation.required') }, passwordRule(t, person?.username)]}
        >
          <Input.Password autoComplete="new-password" aria-describedby="reset-password-hints" />
        </Form.Item>
        <PasswordHints id="reset-password-hints" password={password} username={person?.username} />
      </Form>
    </FormModal>
  );
}
