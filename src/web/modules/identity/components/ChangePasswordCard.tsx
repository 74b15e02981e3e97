import { App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../../app/api.ts';
import { useRefreshMe } from '../../../app/auth.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { confirmPasswordRule, PasswordHints, passwordRule } from '../../../ui/password.tsx';
import { SectionCard } from './SectionCard.tsx';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const CODE_FIELDS = {
  'auth.invalid_credentials': 'currentPassword',
  'identity.wrong_password': 'currentPassword',
  'identity.weak_password': 'newPassword',
  'identity.password_unchanged': 'newPassword',
};

/** Change one's own password (the current one proves it is really them). */
export function ChangePasswordCard({ username }: { username: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refreshMe = useRefreshMe();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const newPassword: string = Form.useWatch('newPassword', form) ?? '';

  const submit = async ({ currentPassword, newPassword }: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      await post('/api/me/password', { currentPassword, newPassword });
      form.resetFields();
      // Other sessions end on a password change; this one may get a fresh CSRF token.
      await refreshMe();
      message.success(t('profile.passwordChanged'));
    } catch (err) {
      if (!applyFieldErrors(t, form, err, CODE_FIELDS)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <SectionCard title={t('profile.changePassword')}>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={submit} disabled={busy}>
        {/* Lets password managers pair the new password with the right account. */}
        <input type="text" name="username" value={username} autoComplete="username" readOnly hidden />
        <Form.Item label={t('fields.currentPassword')} name="currentPassword" rules={[required]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          label={t('fields.newPassword')}
          name="newPassword"
          rules={[required, passwordRule(t, username)]}
        >
          <Input.Password autoComplete="new-password" aria-describedby="new-password-hints" />
        </Form.Item>
        <PasswordHints id="new-password-hints" password={newPassword} username={username} />
        <Form.Item
          label={t('fields.confirmPassword')}
          name="confirmPassword"
          dependencies={['newPassword']}
          rules={[required, confirmPasswordRule(t, 'newPassword')]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('profile.changePasswordSubmit')}
        </Button>
      </Form>
    </SectionCard>
  );
}
