import { Alert, App, Button, Form, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { post } from '../../../app/api.ts';
import { useRefreshMe } from '../../../app/auth.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { SectionCard } from './SectionCard.tsx';

interface Setup {
  secret: string;
  otpauthUri: string;
  qrDataUrl: string;
}

type Mode =
  | { kind: 'idle' }
  | { kind: 'setup'; setup: Setup }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'disable' }
  | { kind: 'regenerate' };

const CODE_FIELDS = {
  'auth.invalid_mfa_code': 'code',
  'identity.invalid_totp_code': 'code',
  'auth.invalid_credentials': 'password',
  'identity.wrong_password': 'password',
};

/** Enrols, re-keys recovery codes for, and removes an authenticator-app second factor (TOTP). */
export function TwoFactorCard({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refreshMe = useRefreshMe();
  const [form] = Form.useForm<{ code: string; password?: string }>();
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (err) {
      if (!applyFieldErrors(t, form, err, CODE_FIELDS)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  const start = () =>
    run(async () => {
      form.resetFields();
      setMode({ kind: 'setup', setup: await post<Setup>('/api/me/totp/setup') });
    });

  const submit = ({ code, password }: { code: string; password?: string }) =>
    run(async () => {
      if (mode.kind === 'setup') {
        const { recoveryCodes } = await post<{ recoveryCodes: string[] }>('/api/me/totp/enable', { code });
        setMode({ kind: 'codes', codes: recoveryCodes });
        await refreshMe();
      } else if (mode.kind === 'regenerate') {
        const { recoveryCodes } = await post<{ recoveryCodes: string[] }>('/api/me/totp/recovery-codes', {
          code,
        });
        setMode({ kind: 'codes', codes: recoveryCodes });
      } else if (mode.kind === 'disable') {
        await post('/api/me/totp/disable', { password, code });
        setMode({ kind: 'idle' });
        await refreshMe();
        message.success(t('mfa.disabled'));
      }
      form.resetFields();
    });

  const codeField = (
    <Form.Item
      label={t('fields.totpCode')}
      name="code"
      rules={[
        { required: true, message: t('validation.required') },
        { pattern: /^\d{6}$/, message: t('validation.totpCode') },
      ]}
    >
      <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ maxWidth: 160 }} />
    </Form.Item>
  );
  const cancel = (
    <Button onClick={() => setMode({ kind: 'idle' })} disabled={busy}>
      {t('common.cancel')}
    </Button>
  );

  return (
    <SectionCard
      title={t('mfa.title')}
      extra={enabled ? <Tag color="success">{t('mfa.on')}</Tag> : <Tag>{t('mfa.off')}</Tag>}
    >
      <ErrorAlert error={error} />
      {mode.kind === 'idle' && (
        <>
          <Typography.Paragraph>
            {enabled ? t('mfa.enabledText') : t('mfa.disabledText')}
          </Typography.Paragraph>
          {enabled ? (
            <Space wrap>
              <Button onClick={() => setMode({ kind: 'regenerate' })}>{t('mfa.regenerate')}</Button>
              <Button danger onClick={() => setMode({ kind: 'disable' })}>
                {t('mfa.disable')}
              </Button>
            </Space>
          ) : (
            <Button type="primary" onClick={start} loading={busy}>
              {t('mfa.setUp')}
            </Button>
          )}
        </>
      )}
      {mode.kind === 'codes' && <RecoveryCodes codes={mode.codes} onDone={() => setMode({ kind: 'idle' })} />}
      {(mode.kind === 'setup' || mode.kind === 'disable' || mode.kind === 'regenerate') && (
        <Form form={form} layout="vertical" onFinish={submit} disabled={busy}>
          {mode.kind === 'setup' && (
            <>
              <Typography.Paragraph>{t('mfa.scan')}</Typography.Paragraph>
              <img
                src={mode.setup.qrDataUrl}
                alt={t('mfa.qrAlt')}
                width={192}
                height={192}
                style={{ display: 'block', marginBottom: 12 }}
              />
              <Typography.Paragraph>
                {t('mfa.orEnter')}{' '}
                <Typography.Text
                  code
                  copyable={{ text: mode.setup.secret, tooltips: [t('common.copy'), t('common.copied')] }}
                >
                  {mode.setup.secret}
                </Typography.Text>
              </Typography.Paragraph>
            </>
          )}
          {mode.kind === 'disable' && (
            <>
              <Alert type="warning" showIcon title={t('mfa.disableWarning')} style={{ marginBottom: 16 }} />
              <Form.Item
                label={t('fields.password')}
                name="password"
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <Input.Password autoComplete="current-password" style={{ maxWidth: 320 }} />
              </Form.Item>
            </>
          )}
          {mode.kind === 'regenerate' && (
            <Typography.Paragraph>{t('mfa.regenerateHelp')}</Typography.Paragraph>
          )}
          {codeField}
          <Space>
            <Button type="primary" htmlType="submit" danger={mode.kind === 'disable'} loading={busy}>
              {mode.kind === 'setup'
                ? t('mfa.enable')
                : mode.kind === 'disable'
                  ? t('mfa.disable')
                  : t('mfa.regenerate')}
            </Button>
            {cancel}
          </Space>
        </Form>
      )}
    </SectionCard>
  );
}
