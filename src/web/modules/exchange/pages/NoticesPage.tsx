import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { formatDateTime, pickLang } from '../../catalog/text.ts';
import { type Notice, useNotices } from '../api.ts';
import { useDepartmentName } from '../components/departments.ts';
import { EmptyText } from '../components/EmptyText.tsx';

/** /console/exchange/notices: reminders and escalations about pending requests of the person's departments. */
export default function NoticesPage() {
  const { t, i18n } = useTranslation();
  const notices = useNotices();
  const departmentName = useDepartmentName();
  return (
    <>
      <PageTitle title={t('exchange.notices.title')} />
      <Typography.Paragraph>{t('exchange.notices.intro')}</Typography.Paragraph>
      <ErrorAlert error={notices.error} />
      <Table<Notice>
        rowKey="id"
        size="middle"
        loading={notices.isFetching}
        dataSource={notices.data ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <EmptyText>{t('exchange.notices.empty')}</EmptyText> }}
        columns={[
          {
            title: t('exchange.notices.kind'),
            key: 'kind',
            render: (_: unknown, n) => (
              <Tag color={n.kind === 'escalation' ? 'error' : 'processing'}>
                {t(`exchange.enums.noticeKind.${n.kind}`)}
              </Tag>
            ),
          },
          {
            title: t('exchange.notices.request'),
            key: 'request',
            render: (_: unknown, n) => (
              <Link to={`/console/exchange/requests/${n.requestId}`}>
                {pickLang(n.titleZh, n.titleEn, i18n.language)}
              </Link>
            ),
          },
          {
            title: t('exchange.requests.requester'),
            key: 'requester',
            render: (_: unknown, n) => departmentName(n.requesterDepartmentId),
          },
          {
            title: t('exchange.requests.owner'),
            key: 'dept',
            render: (_: unknown, n) => departmentName(n.departmentId),
          },
          {
            title: t('exchange.notices.due'),
            dataIndex: 'dueAt',
            key: 'due',
            render: (v: string | null) => formatDateTime(v, i18n.language),
          },
          {
            title: t('exchange.notices.createdAt'),
            dataIndex: 'createdAt',
            key: 'created',
            render: (v: string) => formatDateTime(v, i18n.language),
          },
        ]}
      />
    </>
  );
}
