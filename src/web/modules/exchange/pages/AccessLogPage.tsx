import { Card, DatePicker, Select, Space, Table, type TableColumnsType, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ACCESS_OUTCOMES } from '../../../../contracts/exchange.ts';
import type { DepartmentRoleName } from '../../../../contracts/identity.ts';
import { useMe } from '../../../app/auth.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { ScrollRegion } from '../../../ui/ScrollRegion.tsx';
import { useSearchParamState } from '../../../ui/useSearchParamState.ts';
import { departmentsWithRole } from '../../catalog/permissions.ts';
import { formatDateTime, titleOf } from '../../catalog/text.ts';
import { useDepartments } from '../../identity/api.ts';
import { DepartmentSelect } from '../../identity/components/DepartmentSelect.tsx';
import { type AccessLogEntry, useAccessLog, useUsage } from '../api.ts';
import { useDepartmentName } from '../components/departments.ts';
import { OutcomeTag } from '../components/tags.tsx';
import { formatMs, UsageFigures } from '../components/UsageFigures.tsx';
import '../../catalog/catalog.css';
import { oneLine } from '../components/columns.ts';
import { EmptyText } from '../components/EmptyText.tsx';
import { columnNames, operationKey } from '../display.ts';

const PAGE_SIZE = 50;
const ANY_ROLE: readonly DepartmentRoleName[] = [
  'dept_admin',
  'data_steward',
  'case_handler',
  'reviewer',
  'auditor',
];
type Outcome = (typeof ACCESS_OUTCOMES)[number];

// Twelve columns do not fit a phone, nor a laptop beside the side menu: squeezed, department names
// and purposes wrapped a character per line (a column's width is no floor in Chromium's table
// layout). The table keeps a least width, shared out by the columns' widths, codes and figures stay
// on one line, and the table scrolls sideways inside its region instead.
const TABLE_MIN_WIDTH = 1300;

/** /console/exchange/access-log: the calls concerning the person's departments, with filters and figures. */
export default function AccessLogPage() {
  const { t, i18n } = useTranslation();
  const { params, update } = useSearchParamState();
  const departmentName = useDepartmentName();
  const departmentId = params.get('departmentId') ?? undefined;
  const outcome = (params.get('outcome') ?? undefined) as Outcome | undefined;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const log = useAccessLog({ departmentId, outcome, from, to, page, pageSize: PAGE_SIZE });
  const { data: me } = useMe();
  const departments = useDepartments();
  const admin = !!me?.person.isPlatformAdmin;
  // Figures are per department for everyone but platform admins: the chosen one, else the first of theirs.
  const mine = me && !admin ? departmentsWithRole(me.person, ANY_ROLE, departments.data ?? []) : undefined;
  const usageDepartment = departmentId ?? (admin ? undefined : me?.person.roles[0]?.departmentId);
  const usage = useUsage({ departmentId: usageDepartment, days: 30 }, admin || !!usageDepartment);
  const columns: TableColumnsType<AccessLogEntry> = [
    {
      title: t('exchange.log.time'),
      dataIndex: 'at',
      key: 'at',
      width: 110,
      render: (v: string) => formatDateTime(v, i18n.language),
    },
    {
      title: t('exchange.log.requester'),
      key: 'requester',
      width: 130,
      render: (_: unknown, e) => departmentName(e.requesterDepartmentId),
    },
    {
      title: t('exchange.log.system'),
      dataIndex: 'systemName',
      key: 'system',
      width: 130,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('exchange.log.user'),
      dataIndex: 'userRef',
      key: 'user',
      ...oneLine,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('exchange.log.resource'),
      key: 'resource',
      width: 170,
      render: (_: unknown, e) => {
        const title = e.titleZh
          ? titleOf({ titleZh: e.titleZh, titleEn: e.titleEn ?? '' }, i18n.language)
          : null;
        const op = operationKey(e.operation);
        return (
          <Space orientation="vertical" size={0}>
            {title && e.datasetId ? (
              <Link to={`/console/exchange/resources/${e.datasetId}`}>{title}</Link>
            ) : (
              <span>{title ?? '—'}</span>
            )}
            <Typography.Text type="secondary">{departmentName(e.ownerDepartmentId)}</Typography.Text>
            {op ? <span>{t(op)}</span> : <code>{e.operation}</code>}
          </Space>
        );
      },
    },
    {
      title: t('exchange.log.fields'),
      key: 'fields',
      width: 170,
      render: (_: unknown, e) =>
        columnNames(e.fields, e.columnLabels, i18n.language).join(t('common.listSeparator')) || '—',
    },
    { title: t('exchange.log.rows'), dataIndex: 'rowCount', key: 'rows', align: 'right', ...oneLine },
    {
      title: t('exchange.log.subjects'),
      dataIndex: 'subjectCount',
      key: 'subjects',
      align: 'right',
      width: 90,
    },
    {
      title: t('exchange.log.purpose'),
      dataIndex: 'purpose',
      key: 'purpose',
      width: 130,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('exchange.log.case'),
      dataIndex: 'caseRef',
      key: 'case',
      ...oneLine,
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('exchange.log.latency'),
      dataIndex: 'latencyMs',
      key: 'latency',
      ...oneLine,
      align: 'right',
      render: (v: number) => formatMs(v, t),
    },
    {
      title: t('exchange.log.outcome'),
      key: 'outcome',
      ...oneLine,
      render: (_: unknown, e) => (
        <Space size={4}>
          <OutcomeTag outcome={e.outcome} />
          <code>{e.status}</code>
        </Space>
      ),
    },
  ];
  const day = (d: Dayjs | null, end: boolean) =>
    d ? (end ? d.endOf('day') : d.startOf('day')).toDate().toISOString() : undefined;
  return (
    <>
      <PageTitle title={t('exchange.log.title')} />
      <Typography.Paragraph>{t('exchange.log.intro')}</Typography.Paragraph>
      <Card
        title={<h2 className="card-heading">{t('exchange.usage.title')}</h2>}
        extra={
          usageDepartment
            ? `${departmentName(usageDepartment)} · ${t('exchange.usage.period', { days: 30 })}`
            : t('exchange.usage.period', { days: 30 })
        }
        style={{ marginBottom: 16 }}
        loading={usage.isPending && !usage.error}
      >
        <ErrorAlert error={usage.error} />
        {usage.data && <UsageFigures figures={usage.data.total} />}
      </Card>
      <search aria-label={t('exchange.log.filters')}>
        <Space wrap style={{ marginBottom: 16 }}>
          <DepartmentSelect
            aria-label={t('exchange.log.department')}
            placeholder={t('exchange.log.allDepartments')}
            allowClear
            allowed={mine}
            value={departmentId}
            onChange={(v) => update({ departmentId: v, page: undefined })}
            style={{ width: 240 }}
          />
          <Select<Outcome | undefined>
            aria-label={t('exchange.log.outcome')}
            placeholder={t('exchange.log.allOutcomes')}
            allowClear
            value={outcome}
            onChange={(v) => update({ outcome: v, page: undefined })}
            style={{ width: 160 }}
            options={ACCESS_OUTCOMES.map((o) => ({ value: o, label: t(`exchange.enums.outcome.${o}`) }))}
          />
          <DatePicker
            aria-label={t('exchange.log.from')}
            placeholder={t('exchange.log.from')}
            value={from ? dayjs(from) : null}
            onChange={(d) => update({ from: day(d, false), page: undefined })}
          />
          <DatePicker
            aria-label={t('exchange.log.to')}
            placeholder={t('exchange.log.to')}
            value={to ? dayjs(to) : null}
            onChange={(d) => update({ to: day(d, true), page: undefined })}
          />
        </Space>
      </search>
      <ErrorAlert error={log.error} />
      <ScrollRegion label={t('exchange.log.title')}>
        <Table<AccessLogEntry>
          rowKey="callId"
          columns={columns}
          dataSource={log.data?.items ?? []}
          loading={log.isFetching}
          size="small"
          style={{ minWidth: TABLE_MIN_WIDTH }}
          locale={{ emptyText: <EmptyText>{t('exchange.log.empty')}</EmptyText> }}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: log.data?.total ?? 0,
            showSizeChanger: false,
            // At the start, so that on a phone it is in view without scrolling the table sideways.
            placement: ['bottomStart'],
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (p) => update({ page: String(p) }),
          }}
        />
      </ScrollRegion>
    </>
  );
}
