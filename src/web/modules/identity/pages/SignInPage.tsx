import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, post } from '../../../app/api.ts';
import { useRefreshMe } from '../../../app/auth.ts';
import { homeFor } from '../../../app/permissions.ts';
import { safeNext } from '../../../app/safe-next.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';

/**
 * A counter released this account's ID number (its holder could not show the counter code while
 * someone presented the card): say what happened and what to do, rather than a bare "disabled".
 */
function ReleasedNotice({ releasedAt }: { releasedAt: string }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      role="alert"
      title={t('identifierRelease.releasedTitle')}
      description={t('identifierRelease.releasedText', { date: new Date(releasedAt).toLocaleDateString() })}
      style={{ marginBottom: 16 }}
    />
  );
}

/** Username and password, then — when the account has one — the second factor. */
export function SignInPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const refreshMe = useRefreshMe();
  const [step, setStep] = useState<'password' | 'mfa'>('password');
  const [useRecovery, setUseRecovery] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const finish = async () => {
    const me = await refreshMe();
    if (!me) throw new Error(t('signIn.sessionMissing'));
    // A release of this account's number is pending: the account page warns and shows the way out.
    if (me.person.identifierReleaseDueAt) navigate('/account', { replace: true });
    else navigate(safeNext(params.get('next')) ?? homeFor(me.person), { replace: true });
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const signIn = (values: { username: string; password: string }) =>
    run(async () => {
      const result = await post<{ mfaRequired: boolean }>('/api/auth/login', values);
      if (result.mfaRequired) setStep('mfa');
      else await finish();
    });

  const verify = (values: { code?: string; recoveryCode?: string }) =>
    run(async () => {
      await post(
        '/api/auth/mfa',
        useRecovery ? { recoveryCode: values.recoveryCode?.trim() } : { code: values.code },
      );
      await finish();
    });

  return (
    <div style={{ maxWidth: 420, margin: '0 auto' }}>
      <PageTitle title={step === 'password' ? t('signIn.title') : t('signIn.mfaTitle')} />
      <Card>
        {error instanceof ApiError &&
        error.code === 'auth.identifier_released' &&
        typeof error.details?.releasedAt === 'string' ? (
          <ReleasedNotice releasedAt={error.details.releasedAt} />
        ) : (
          <ErrorAlert error={error} />
        )}
        {step === 'password' ? (
          <Form layout="vertical" onFinish={signIn} requiredMark={false} disabled={busy}>
            <Form.Item
              label={t('fields.username')}
              name="username"
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input autoComplete="username" autoCapitalize="none" spellCheck={false} />
            </Form.Item>
            <Form.Item
              label={t('fields.password')}
              name="password"
              rules={[{ required: true, message: t('validation.required') }]}
            >
              <Input.Password autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('signIn.submit')}
            </Button>
          </Form>
        ) : (
          <Form
            layout="vertical"
            onFinish={verify}
            requiredMark={false}
            disabled={busy}
            key={useRecovery ? 'r' : 'c'}
          >
            <Typography.Paragraph>
              {useRecovery ? t('signIn.recoveryHelp') : t('signIn.mfaHelp')}
            </Typography.Paragraph>
            {useRecovery ? (
              <Form.Item
                label={t('fields.recoveryCode')}
                name="recoveryCode"
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input autoComplete="off" autoFocus spellCheck={false} />
              </Form.Item>
            ) : (
              <Form.Item
                label={t('fields.totpCode')}
                name="code"
                rules={[
                  { required: true, message: t('validation.required') },
                  { pattern: /^\d{6}$/, message: t('validation.totpCode') },
                ]}
              >
                <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block loading={busy}>
              {t('signIn.verify')}
            </Button>
            <Button type="link" block onClick={() => setUseRecovery((v) => !v)} style={{ marginTop: 8 }}>
              {useRecovery ? t('signIn.useCode') : t('signIn.useRecovery')}
            </Button>
          </Form>
        )}
      </Card>
      <Typography.Paragraph style={{ marginTop: 16, textAlign: 'center' }}>
        {t('signIn.noAccount')} <Link to="/register">{t('signIn.registerLink')}</Link>
      </Typography.Paragraph>
    </div>
  );
}
