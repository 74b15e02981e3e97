import { Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { normalizeIdentifier, residentIdProblem, usccProblem } from '../../../../contracts/identifiers.ts';
import type { MeDto, RegisterInput } from '../../../../contracts/identity.ts';
import { post } from '../../../app/api.ts';
import { useRefreshMe } from '../../../app/auth.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { confirmPasswordRule, PasswordHints, passwordRule } from '../../../ui/password.tsx';
import { emailRule, usernameRules } from '../validation.ts';

type Kind = 'citizen' | 'business';

/** Domain errors of registration and the field each belongs to. */
const CODE_FIELDS: Record<string, string> = {
  'identity.username_taken': 'username',
  'identity.invalid_resident_id': 'residentId',
  'identity.resident_id_taken': 'residentId',
  'identity.invalid_uscc': 'uscc',
  'identity.company_name_required': 'companyName',
  'identity.weak_password': 'password',
};

/** Self-registration for citizens (resident ID) and business users (unified social credit code). */
export function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const refreshMe = useRefreshMe();
  const [form] = Form.useForm();
  const [kind, setKind] = useState<Kind>('citizen');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const password: string = Form.useWatch('password', form) ?? '';
  const username: string = Form.useWatch('username', form) ?? '';

  const submit = async (values: Record<string, string | undefined>) => {
    setBusy(true);
    setError(undefined);
    const body: RegisterInput = {
      kind,
      username: values.username!.trim(),
      password: values.password!,
      displayName: values.displayName!.trim(),
      ...(values.email ? { email: values.email.trim() } : {}),
      ...(kind === 'citizen'
        ? { residentId: normalizeIdentifier(values.residentId!) }
        : { uscc: normalizeIdentifier(values.uscc!), companyName: values.companyName!.trim() }),
    };
    try {
      await post<MeDto>('/api/auth/register', body);
      await refreshMe();
      navigate('/account', { replace: true });
    } catch (err) {
      if (!applyFieldErrors(t, form, err, CODE_FIELDS)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <div style={{ maxWidth: 560, margin: '0 auto' }}>
      <PageTitle title={t('register.title')} />
      <Card>
        <Tabs
          activeKey={kind}
          onChange={(key) => setKind(key as Kind)}
          items={[
            { key: 'citizen', label: t('register.citizen') },
            { key: 'business', label: t('register.business') },
          ]}
        />
        <Typography.Paragraph>{t(`register.${kind}Intro`)}</Typography.Paragraph>
        <ErrorAlert error={error} />
        <Form form={form} layout="vertical" onFinish={submit} disabled={busy} scrollToFirstError>
          {kind === 'citizen' ? (
            <Form.Item
              label={t('fields.residentId')}
              name="residentId"
              extra={t('register.residentIdHelp')}
              rules={[
                required,
                {
                  validator: async (_r, value: string | undefined) => {
                    const problem = value ? residentIdProblem(normalizeIdentifier(value)) : undefined;
                    if (problem) throw new Error(t(`validation.residentId.${problem}`));
                  },
                },
              ]}
            >
              <Input autoComplete="off" spellCheck={false} maxLength={20} />
            </Form.Item>
          ) : (
            <>
              <Form.Item label={t('fields.companyName')} name="companyName" rules={[required, { max: 200 }]}>
                <Input autoComplete="organization" />
              </Form.Item>
              <Form.Item
                label={t('fields.uscc')}
                name="uscc"
                extra={t('register.usccHelp')}
                rules={[
                  required,
                  {
                    validator: async (_r, value: string | undefined) => {
                      const problem = value ? usccProblem(normalizeIdentifier(value)) : undefined;
                      if (problem) throw new Error(t(`validation.uscc.${problem}`));
                    },
                  },
                ]}
              >
                <Input autoComplete="off" spellCheck={false} maxLength={20} />
              </Form.Item>
            </>
          )}
          <Form.Item label={t('fields.displayName')} name="displayName" rules={[required, { max: 100 }]}>
            <Input autoComplete="name" />
          </Form.Item>
          <Form.Item
            label={t('fields.email')}
            name="email"
            rules={[emailRule(t)]}
            extra={t('common.optional')}
          >
            <Input type="email" autoComplete="email" />
          </Form.Item>
          <Form.Item
            label={t('fields.username')}
            name="username"
            rules={usernameRules(t)}
            extra={t('register.usernameHelp')}
          >
            <Input autoComplete="username" autoCapitalize="none" spellCheck={false} />
          </Form.Item>
          <Form.Item
            label={t('fields.password')}
            name="password"
            dependencies={['username']}
            rules={[required, passwordRule(t, { field: 'username' })]}
          >
            <Input.Password autoComplete="new-password" aria-describedby="password-hints" />
          </Form.Item>
          <PasswordHints id="password-hints" password={password} username={username} />
          <Form.Item
            label={t('fields.confirmPassword')}
            name="confirmPassword"
            dependencies={['password']}
            rules={[required, confirmPasswordRule(t, 'password')]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('register.submit')}
          </Button>
        </Form>
      </Card>
      <Typography.Paragraph style={{ marginTop: 16, textAlign: 'center' }}>
        {t('register.haveAccount')} <Link to="/sign-in">{t('register.signInLink')}</Link>
      </Typography.Paragraph>
    </div>
  );
}
