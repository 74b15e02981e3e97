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
import { oneLine } from '../components/columns.ts';
import { EmptyText } from '../components/EmptyText.tsx';
import { columnNames } from '../display.ts';

const PAGE_SIZE = 20;
// On a phone, left to the browser, the columns were squeezed (the purpose wrapped into a 57 px
// column): the table keeps a least width, shared out by the columns' widths, time and case stay on
// one line, and the table scrolls sideways inside its region instead, as the access log does.
const TABLE_MIN_WIDTH = 920;

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
      width: 150,
      ...oneLine,
      render: (v: string) => formatDateTime(v, lang),
    },
    {
      title: t('exchange.myData.department'),
      key: 'department',
      width: 140,
      render: (_: unknown, e) => pickLang(e.requesterDepartmentZh, e.requesterDepartmentEn, lang),
    },
    {
      title: t('exchange.myData.resource'),
      key: 'resource',
      width: 200,
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
      width: 130,
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
      width: 140,
      ...oneLine,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('exchange.myData.fields'),
      key: 'fields',
      width: 160,
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
          style={{ minWidth: TABLE_MIN_WIDTH }}
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
