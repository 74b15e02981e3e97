import { ExclamationCircleOutlined } from '@ant-design/icons';
import { App, Button, Descriptions, Form, Input, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonDto } from '../../../../contracts/identity.ts';
import { patch } from '../../../app/api.ts';
import { useRefreshMe } from '../../../app/auth.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { emailRule } from '../validation.ts';
import { SectionCard } from './SectionCard.tsx';

/** Who the account is (fixed facts) and the name and e-mail the person may change. */
export function ProfileDetailsCard({ person }: { person: PersonDto }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const refreshMe = useRefreshMe();
  const [form] = Form.useForm<{ displayName: string; email?: string }>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (values: { displayName: string; email?: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await patch('/api/me', { displayName: values.displayName.trim(), email: values.email?.trim() || null });
      await refreshMe();
      message.success(t('profile.saved'));
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    } finally {
      setBusy(false);
    }
  };

  const identifier = person.residentIdMasked ?? person.usccMasked;
  return (
    <SectionCard title={t('profile.details')}>
      <Descriptions column={1} size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('fields.username')}>{person.username}</Descriptions.Item>
        <Descriptions.Item label={t('people.kind')}>{t(`kinds.${person.kind}`)}</Descriptions.Item>
        {identifier && (
          <Descriptions.Item label={person.residentIdMasked ? t('fields.residentId') : t('fields.uscc')}>
            <code>{identifier}</code>
          </Descriptions.Item>
        )}
        {person.companyName && (
          <Descriptions.Item label={t('fields.companyName')}>{person.companyName}</Descriptions.Item>
        )}
        {person.kind !== 'staff' && (
          <Descriptions.Item label={t('profile.identity')}>
            {person.identityVerifiedAt ? (
              <Tag color="success">
                {t('profile.identityVerified', {
                  date: new Date(person.identityVerifiedAt).toLocaleDateString(),
                })}
              </Tag>
            ) : (
              <span>
                {/* A plain tag: the coloured warning tag's text falls short of WCAG contrast. */}
                <Tag icon={<ExclamationCircleOutlined aria-hidden />}>{t('profile.identityUnverified')}</Tag>
                <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
                  {t('profile.identityUnverifiedHelp')}
                </Typography.Text>
              </span>
            )}
          </Descriptions.Item>
        )}
      </Descriptions>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        disabled={busy}
        initialValues={{ displayName: person.displayName, email: person.email ?? undefined }}
      >
        <Form.Item
          label={t('fields.displayName')}
          name="displayName"
          rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}
        >
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item label={t('fields.email')} name="email" rules={[emailRule(t)]}>
          <Input type="email" autoComplete="email" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('common.save')}
        </Button>
      </Form>
    </SectionCard>
  );
}
