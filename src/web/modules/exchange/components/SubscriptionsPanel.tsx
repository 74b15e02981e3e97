import { App, Button, Form, Grid, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, useErrorText } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { formatDateTime } from '../../catalog/text.ts';
import { type Subscription, useCancelSubscription, useCreateSubscription, useSubscriptions } from '../api.ts';
import { EmptyText } from './EmptyText.tsx';
import { SecretBox } from './SecretBox.tsx';

const DELIVERY_COLOR = { pending: 'processing', delivered: 'success', failed: 'error' } as const;

/** Webhooks on new versions of the granted table: add (secret shown once), list with last delivery, cancel. */
export function SubscriptionsPanel({ grantId, editable }: { grantId: string; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ url: string }>();
  const list = useSubscriptions(grantId);
  const create = useCreateSubscription(grantId);
  const cancel = useCancelSubscription();
  const [created, setCreated] = useState<Subscription>();
  const [error, setError] = useState<unknown>();
  // On a phone the 360 px box beside its label is wider than the screen: label above, box full width.
  const narrow = Grid.useBreakpoint().sm === false;

  const add = async ({ url }: { url: string }) => {
    setError(undefined);
    try {
      setCreated(await create.mutateAsync(url.trim()));
      form.resetFields();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  return (
    <>
      <Typography.Paragraph>{t('exchange.subscriptions.intro')}</Typography.Paragraph>
      {created?.secret && (
        <SecretBox
          title={t('exchange.subscriptions.secretTitle')}
          warning={t('exchange.subscriptions.secretOnce')}
          label={t('exchange.subscriptions.secretLabel')}
          value={created.secret}
        />
      )}
      {editable && (
        <Form
          form={form}
          layout={narrow ? 'vertical' : 'inline'}
          onFinish={add}
          style={{ marginBottom: 16, rowGap: 8 }}
        >
          <Form.Item
            label={t('exchange.subscriptions.url')}
            name="url"
            rules={[
              { required: true, message: t('validation.required') },
              { pattern: /^https?:\/\/\S{3,}$/i, message: t('exchange.subscriptions.urlInvalid') },
            ]}
          >
            <Input
              type="url"
              maxLength={2000}
              placeholder="https://"
              style={{ width: narrow ? '100%' : 360 }}
            />
          </Form.Item>
          <Button htmlType="submit" loading={create.isPending}>
            {t('exchange.subscriptions.add')}
          </Button>
        </Form>
      )}
      <ErrorAlert error={error ?? list.error} />
      <Table<Subscription>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        loading={list.isFetching}
        dataSource={list.data ?? []}
        locale={{ emptyText: <EmptyText>{t('exchange.subscriptions.empty')}</EmptyText> }}
        columns={[
          {
            title: t('exchange.subscriptions.url'),
            dataIndex: 'url',
            key: 'url',
            render: (v: string) => <code>{v}</code>,
          },
          {
            title: t('common.status'),
            key: 'state',
            render: (_: unknown, s) => (
              <Tag color={s.state === 'active' ? 'success' : 'default'}>
                {t(`exchange.enums.subscriptionState.${s.state}`)}
              </Tag>
            ),
          },
          {
            title: t('exchange.subscriptions.lastDelivery'),
            key: 'last',
            render: (_: unknown, s) =>
              s.lastDelivery ? (
                <Space size={4} wrap>
                  <Tag color={DELIVERY_COLOR[s.lastDelivery.state]}>
                    {t(`exchange.enums.deliveryState.${s.lastDelivery.state}`)}
                  </Tag>
                  <span>{formatDateTime(s.lastDelivery.at, i18n.language)}</span>
                  <span>{t('exchange.subscriptions.attempts', { count: s.lastDelivery.attempts })}</span>
                  {s.lastDelivery.lastStatus !== null && <code>HTTP {s.lastDelivery.lastStatus}</code>}
                  {s.lastDelivery.lastError && (
                    <Typography.Text type="danger">{s.lastDelivery.lastError}</Typography.Text>
                  )}
                </Space>
              ) : (
                t('exchange.subscriptions.never')
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, s) =>
              editable && s.state === 'active' ? (
                <Popconfirm
                  title={t('exchange.subscriptions.cancelConfirm')}
                  okText={t('exchange.subscriptions.cancel')}
                  cancelText={t('common.cancel')}
                  onConfirm={async () => {
                    try {
                      await cancel.mutateAsync(s.id);
                    } catch (err) {
                      message.error(errorText(err));
                    }
                  }}
                >
                  <Button
                    size="small"
                    danger
                    aria-label={t('exchange.subscriptions.cancelFor', { url: s.url })}
                  >
                    {t('exchange.subscriptions.cancel')}
                  </Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </>
  );
}
