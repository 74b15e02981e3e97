import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../app/api.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { ScrollRegion } from '../../../ui/ScrollRegion.tsx';
import { formatDate, formatDateTime, pickLang } from '../../catalog/text.ts';
import { MY_DATA_CSV, type MyDataEntry, useMyDataAccess } from '../api.ts';
import { EmptyText } from '../components/EmptyText.tsx';
import { columnNames } from '../display.ts';

const PAGE_SIZE = 20;

/** /account/data-access: every access to records about the signed-in citizen or business. */
export default function MyDataPage() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const accesses = useMyDataAccess({ page, pageSize: PAGE_SIZE });
  const lang = i18n.language;
  // Until staff have verified who holds the account, the server shows no history: explain, not an error.
  const unverified =
    accesses.error instanceof ApiError && accesses.error.code === 'exchange.identity_unverified';
  if (unverified) {
    return (
      <>
        <PageTitle title={t('exchange.myData.title')} />
        <Typography.Paragraph>{t('exchange.myData.intro')}</Typography.Paragraph>
        <Alert
          type="info"
          showIcon
          title={t('exchange.myData.unverifiedTitle')}
          description={
            <>
              <Typography.Paragraph>{t('exchange.myData.unverified')}</Typography.Paragraph>
              <Typography.Paragraph style={{ marginBottom: 0 }}>
                {t('exchange.myData.unverifiedCode')}{' '}
                <Link to="/account">{t('exchange.myData.accountLink')}</Link>
              </Typography.Paragraph>
            </>
          }
        />
      </>
    );
  }
  const columns: TableColumnsType<MyDataEntry> = [
    {
      title: t('exchange.myData.time'),
      dataIndex: 'at',
      key: 'at',
      render: (v: string) => formatDateTime(v, lang),
    },
    {
      title: t('exchange.myData.department'),
      key: 'department',
      render: (_: unknown, e) => pickLang(e.requesterDepartmentZh, e.requesterDepartmentEn, lang),
    },
    {
      title: t('exchange.myData.resource'),
      key: 'resource',
      render: (_: unknown, e) => (
        <>
          {pickLang(e.resourceTitleZh, e.resourceTitleEn, lang)}
          <Typography.Text type="secondary" style={{ display: 'block' }}>
            {t('exchange.myData.owner')}: {pickLang(e.ownerDepartmentZh, e.ownerDepartmentEn, lang)}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('exchange.myData.purpose'),
      key: 'purpose',
      render: (_: unknown, e) => (
        <>
          {e.purpose ?? '—'}
          {e.disclosedAfter && (
            <Tag style={{ display: 'block', width: 'fit-content', marginTop: 4 }}>
              {t('exchange.myData.disclosedAfter', { date: formatDate(e.disclosedAfter, lang) })}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: t('exchange.myData.case'),
      dataIndex: 'caseRef',
      key: 'case',
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('exchange.myData.fields'),
      key: 'fields',
      render: (_: unknown, e) =>
        columnNames(e.fields, e.columnLabels, lang).join(t('catalog.listSeparator')) || '—',
    },
  ];
  return (
    <>
      <PageTitle
        title={t('exchange.myData.title')}
        extra={
          <Button
            href={`${MY_DATA_CSV}&lang=${encodeURIComponent(lang)}`}
            icon={<DownloadOutlined aria-hidden />}
          >
            {t('exchange.myData.export')}
          </Button>
        }
      />
      <Typography.Paragraph>{t('exchange.myData.intro')}</Typography.Paragraph>
      <ErrorAlert error={accesses.error} />
      <ScrollRegion label={t('exchange.myData.title')}>
        <Table<MyDataEntry>
          rowKey={(e) => `${e.at}-${e.resourceTitleZh}-${e.requesterDepartmentId ?? ''}`}
          columns={columns}
          dataSource={accesses.data?.items ?? []}
          loading={accesses.isFetching}
          size="middle"
          // Narrower than this, the columns wrap a character per line: the region scrolls instead.
          style={{ minWidth: 760 }}
          locale={{ emptyText: <EmptyText>{t('exchange.myData.empty')}</EmptyText> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: accesses.data?.total ?? 0,
            showSizeChanger: false,
            // At the start, so that on a phone it is in view without scrolling the table sideways.
            placement: ['bottomStart'],
            showTotal: (total) => t('common.total', { count: total }),
            onChange: setPage,
          }}
        />
      </ScrollRegion>
    </>
  );
}
