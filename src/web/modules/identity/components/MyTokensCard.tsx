import { Alert, Button, Form, Input, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useCreateToken, useMyTokens } from '../api.ts';
import { SectionCard } from './SectionCard.tsx';
import { TokenTable } from './TokenTable.tsx';

const EXPIRY_DAYS = [30, 90, 365] as const;

/** The person's own API tokens: create one (shown once, to copy) and revoke. */
export function MyTokensCard() {
  const { t } = useTranslation();
  const tokens = useMyTokens();
  const create = useCreateToken();
  const [form] = Form.useForm<{ name: string; expiry: string }>();
  const [created, setCreated] = useState<{ token: string; name: string }>();
  const [error, setError] = useState<unknown>();

  const submit = async ({ name, expiry }: { name: string; expiry: string }) => {
    setError(undefined);
    try {
      const result = await create.mutateAsync({
        name: name.trim(),
        expiresInDays: expiry === 'never' ? null : Number(expiry),
      });
      setCreated({ token: result.token, name: result.apiToken.name });
      form.resetFields();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  return (
    <SectionCard title={t('tokens.mineTitle')}>
      <Typography.Paragraph>{t('tokens.mineIntro')}</Typography.Paragraph>
      {created && (
        <Alert
          type="success"
          showIcon
          role="alert"
          closable={{ onClose: () => setCreated(undefined), 'aria-label': t('common.close') }}
          title={t('tokens.createdTitle', { name: created.name })}
          description={
            <>
              <Typography.Paragraph>{t('tokens.createdHelp')}</Typography.Paragraph>
              <Typography.Text
                code
                copyable={{ text: created.token, tooltips: [t('common.copy'), t('common.copied')] }}
                data-testid="new-token"
              >
                {created.token}
              </Typography.Text>
            </>
          }
          style={{ marginBottom: 16 }}
        />
      )}
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="inline"
        onFinish={submit}
        initialValues={{ expiry: '90' }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item
          label={t('tokens.name')}
          name="name"
          rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}
        >
          <Input placeholder={t('tokens.namePlaceholder')} />
        </Form.Item>
        <Form.Item label={t('tokens.expiry')} name="expiry">
          <Select
            style={{ width: 140 }}
            options={[
              ...EXPIRY_DAYS.map((d) => ({ value: String(d), label: t('tokens.days', { count: d }) })),
              { value: 'never', label: t('tokens.never') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          {t('tokens.create')}
        </Button>
      </Form>
      <ErrorAlert error={tokens.error} />
      <TokenTable tokens={tokens.data ?? []} loading={tokens.isPending} scope="mine" />
    </SectionCard>
  );
}
