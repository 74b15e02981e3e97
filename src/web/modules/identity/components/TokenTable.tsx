import { App, Button, Popconfirm, Table, type TableColumnsType, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiTokenDto } from '../../../../contracts/identity.ts';
import { useErrorText } from '../../../app/errors.ts';
import { useRevokeToken } from '../api.ts';

const when = (v: string | null) => (v ? new Date(v).toLocaleString() : '—');

/** Token state as people think of it: live, expired or revoked. */
function TokenState({ token }: { token: ApiTokenDto }) {
  const { t } = useTranslation();
  if (token.revokedAt) return <Tag>{t('tokens.revoked')}</Tag>;
  if (token.expiresAt && new Date(token.expiresAt) <= new Date())
    return <Tag color="warning">{t('tokens.expired')}</Tag>;
  return <Tag color="success">{t('tokens.live')}</Tag>;
}

/** API tokens with revoke; `scope` says whose (mine, or everyone's for the platform admin). */
export function TokenTable({
  tokens,
  loading,
  scope,
}: {
  tokens: ApiTokenDto[];
  loading: boolean;
  scope: 'all' | 'mine';
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const revoke = useRevokeToken(scope);
  const columns: TableColumnsType<ApiTokenDto> = [
    ...(scope === 'all' ? [{ title: t('fields.username'), dataIndex: 'username', key: 'username' }] : []),
    { title: t('tokens.name'), dataIndex: 'name', key: 'name' },
    {
      title: t('tokens.prefix'),
      dataIndex: 'prefix',
      key: 'prefix',
      render: (v: string) => <code>{v}…</code>,
    },
    { title: t('tokens.created'), dataIndex: 'createdAt', key: 'createdAt', render: when },
    {
      title: t('tokens.expires'),
      dataIndex: 'expiresAt',
      key: 'expiresAt',
      render: (v: string | null) => (v ? when(v) : t('tokens.never')),
    },
    { title: t('tokens.lastUsed'), dataIndex: 'lastUsedAt', key: 'lastUsedAt', render: when },
    { title: t('common.status'), key: 'state', render: (_: unknown, tk) => <TokenState token={tk} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, tk) =>
        tk.revokedAt ? null : (
          <Popconfirm
            title={t('tokens.revokeConfirm', { name: tk.name })}
            okText={t('tokens.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={async () => {
              try {
                await revoke.mutateAsync(tk.id);
                message.success(t('tokens.revokedMessage', { name: tk.name }));
              } catch (err) {
                message.error(errorText(err));
              }
            }}
          >
            <Button size="small" danger aria-label={t('tokens.revokeLabel', { name: tk.name })}>
              {t('tokens.revoke')}
            </Button>
          </Popconfirm>
        ),
    },
  ];
  return (
    <Table<ApiTokenDto>
      rowKey="id"
      columns={columns}
      dataSource={tokens}
      loading={loading}
      size="middle"
      scroll={{ x: 'max-content' }}
      pagination={tokens.length > 20 ? { pageSize: 20 } : false}
    />
  );
}
