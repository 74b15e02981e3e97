import { Alert, Descriptions, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LoadReport } from '../../../../contracts/datastore.ts';
import { formatBytes } from '../../catalog/text.ts';
import { issueText, rowNumbering, typeChangeText } from '../load-report.ts';
import { useCaption } from './caption.tsx';

type ReportColumn = LoadReport['columns'][number];
/** Issues can repeat (same kind, row and text): each is keyed by its place in the list. */
type ReportIssue = LoadReport['issues'][number] & { n: number };

/** What a load found and did: how the file was read, each column's type and its odd values, issues. */
export function LoadReportView({ report }: { report: LoadReport }) {
  const { t } = useTranslation();
  const columnsCaption = useCaption<ReportColumn>(t('datastore.report.columnsCaption'));
  const issuesCaption = useCaption<ReportIssue>(t('datastore.report.issuesCaption'));
  const delimiter = (d: string) =>
    d === '\t' ? t('datastore.report.delimiterTab') : d === ' ' ? t('datastore.report.delimiterSpace') : d;
  const none = t('datastore.common.none');

  const columns: TableColumnsType<ReportColumn> = [
    {
      title: t('datastore.report.column'),
      key: 'column',
      render: (_: unknown, c) => (
        <>
          <div>{c.label}</div>
          <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
            {c.id}
          </Typography.Text>
        </>
      ),
    },
    {
      title: t('datastore.report.type'),
      key: 'type',
      render: (_: unknown, c) => (
        <>
          <Tag>{t(`datastore.enums.type.${c.type}`)}</Tag>
          {c.reason && (
            <div style={{ fontSize: 12 }}>
              {t(`datastore.enums.reason.${c.reason}`, { defaultValue: c.reason })}
            </div>
          )}
        </>
      ),
    },
    {
      title: t('datastore.report.candidate'),
      key: 'candidate',
      render: (_: unknown, c) => (c.candidate ? t(`datastore.enums.type.${c.candidate}`) : '—'),
    },
    { title: t('datastore.report.nonNull'), dataIndex: 'nonNull', key: 'nonNull', align: 'right' },
    { title: t('datastore.report.nulls'), dataIndex: 'nulls', key: 'nulls', align: 'right' },
    {
      title: t('datastore.report.disagreeing'),
      dataIndex: 'disagreeing',
      key: 'disagreeing',
      align: 'right',
    },
    {
      title: t('datastore.report.examples'),
      key: 'examples',
      render: (_: unknown, c) =>
        c.examples.length === 0 ? (
          '—'
        ) : (
          <ul className="datastore-examples">
            {c.examples.map((e) => (
              <li key={`${e.row}-${e.value}`}>{t('datastore.report.example', e)}</li>
            ))}
          </ul>
        ),
    },
  ];

  const issueColumns: TableColumnsType<ReportIssue> = [
    {
      title: t('datastore.report.kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (k: string) => t(`datastore.enums.issue.${k}`, { defaultValue: k }),
    },
    { title: t('datastore.report.row'), dataIndex: 'row', key: 'row', render: (r?: number) => r ?? '—' },
    {
      title: t('datastore.report.column'),
      dataIndex: 'column',
      key: 'column',
      render: (c?: string) => c ?? '—',
    },
    {
      title: t('datastore.report.message'),
      key: 'message',
      render: (_: unknown, issue) => issueText(t, issue),
    },
    {
      title: t('datastore.report.sample'),
      dataIndex: 'sample',
      key: 'sample',
      render: (s?: string) => (s ? <code className="datastore-cell">{s}</code> : '—'),
    },
  ];

  const summary = report.summary;
  const labelOf = (id: string) => report.columns.find((c) => c.id === id)?.label ?? id;
  return (
    <>
      {summary?.typeChanges?.length ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('datastore.report.typeChangesTitle')}
          description={
            <ul className="datastore-examples">
              {summary.typeChanges.map((c) => (
                <li key={c.column}>{typeChangeText(t, c, labelOf(c.column))}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'format', label: t('datastore.report.format'), children: report.format },
          { key: 'encoding', label: t('datastore.report.encoding'), children: report.encoding ?? '—' },
          {
            key: 'delimiter',
            label: t('datastore.report.delimiter'),
            children: report.delimiter ? <code>{delimiter(report.delimiter)}</code> : '—',
          },
          { key: 'sheet', label: t('datastore.report.sheet'), children: report.sheet ?? '—' },
          ...(report.sheets?.length
            ? [
                {
                  key: 'sheets',
                  label: t('datastore.report.sheets'),
                  children: report.sheets.join(t('common.listSeparator')),
                },
              ]
            : []),
          {
            key: 'path',
            label: t('datastore.report.path'),
            children: t(`datastore.enums.path.${report.path}`),
          },
          { key: 'rowsRead', label: t('datastore.report.rowsRead'), children: report.rowsRead },
          { key: 'rows', label: t('datastore.report.rows'), children: report.rows },
          { key: 'bytes', label: t('datastore.report.bytes'), children: formatBytes(report.bytes) },
          {
            key: 'titleRows',
            label: t('datastore.report.titleRows'),
            children: report.titleRows.length ? report.titleRows.join(t('common.listSeparator')) : none,
          },
          {
            key: 'dropped',
            label: t('datastore.report.dropped'),
            children: report.droppedColumns.length
              ? report.droppedColumns.join(t('common.listSeparator'))
              : none,
          },
          ...(summary
            ? [
                {
                  key: 'summary',
                  label: t('datastore.report.summaryTitle'),
                  children: [
                    t('datastore.report.added', { count: summary.added }),
                    t('datastore.report.removed', { count: summary.removed }),
                    t('datastore.report.changed', { count: summary.changed }),
                  ].join(t('common.listSeparator')),
                },
              ]
            : []),
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
        {rowNumbering(t, report)}
      </Typography.Paragraph>
      <Typography.Title level={4} style={{ fontSize: 15, marginTop: 16 }}>
        {t('datastore.report.columnsTitle')}
      </Typography.Title>
      <Table<ReportColumn>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={report.columns}
        components={columnsCaption}
        pagination={false}
        // Fills the card and wraps long headers and examples; only a narrow screen scrolls sideways
        // (max-content cut the examples column off beside the console's menu at 1280 px).
        scroll={{ x: 760 }}
      />
      <Typography.Title level={4} style={{ fontSize: 15, marginTop: 16 }}>
        {t('datastore.report.issuesTitle', { count: report.issueCount })}
      </Typography.Title>
      {report.issues.length === 0 ? (
        <Typography.Text type="secondary">{t('datastore.report.noIssues')}</Typography.Text>
      ) : (
        <Table<ReportIssue>
          rowKey="n"
          size="small"
          columns={issueColumns}
          dataSource={report.issues.map((issue, n) => ({ ...issue, n }))}
          components={issuesCaption}
          pagination={report.issues.length > 20 ? { pageSize: 20 } : false}
          scroll={{ x: 760 }}
        />
      )}
    </>
  );
}
