import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Calendar,
  DatePicker,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkingDayDto } from '../../../contracts/calendar.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../ui/PageTitle.tsx';
import { useDialog } from '../../ui/useDialog.ts';
import { VisuallyHidden } from '../../ui/VisuallyHidden.tsx';
import { useWorkingDays } from './api.ts';
import { monthRange, officialStatusKey, statusKey } from './calendar-month.ts';
import { holidayName, OverrideModal } from './OverrideModal.tsx';
import './calendar.css';

// Tag colours chosen for contrast (WCAG AA text on their own backgrounds): red for days off, blue
// for exceptions, the neutral tag for ordinary working days.
const TAG_COLOR: Record<string, string | undefined> = {
  workday: undefined,
  makeUpWorkday: 'blue',
  weekend: 'red',
  holiday: 'red',
  statutoryHoliday: 'orange',
  overrideWorking: 'geekblue',
  overrideOff: 'magenta',
};

/** The working-day calendar of a month: each day's status and source, exceptions set by clicking a day. */
export default function WorkingDaysPage() {
  const { t, i18n } = useTranslation();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().startOf('month'));
  const key = month.format('YYYY-MM');
  const range = monthRange(key);
  const days = useWorkingDays(range.from, range.to);
  const editing = useDialog<WorkingDayDto>();
  const byDate = useMemo(() => new Map((days.data?.days ?? []).map((d) => [d.date, d])), [days.data]);
  const overrides = (days.data?.days ?? []).filter((d) => d.source === 'override' && d.date.startsWith(key));
  const unknownYear = days.data && month.year() > days.data.officialDataUntil;

  const status = (d: WorkingDayDto) => t(`calendar.status.${statusKey(d)}`);

  const cell = (date: Dayjs) => {
    const d = byDate.get(date.format('YYYY-MM-DD'));
    const inMonth = date.format('YYYY-MM') === key;
    if (!d || !inMonth)
      return <div className="working-day-cell working-day-cell--outside">{date.date()}</div>;
    const holiday = holidayName(d, i18n.language);
    return (
      <button
        type="button"
        className={`working-day-cell${d.working ? '' : ' working-day-cell--off'}`}
        aria-haspopup="dialog"
        onClick={(e) => {
          // The dialog is the action; the calendar's own selection would only move the month.
          e.stopPropagation();
          editing.show(d);
        }}
      >
        {/* The visible name starts with the day of the month; screen readers hear the whole date. */}
        <span className="working-day-cell__date">
          <VisuallyHidden>{t('calendar.dayBefore', { date: d.date })}</VisuallyHidden>
          {date.date()}
        </span>
        <Tag color={TAG_COLOR[statusKey(d)]}>{status(d)}</Tag>
        {holiday ? <span className="working-day-cell__text">{holiday}</span> : null}
        {d.note ? <span className="working-day-cell__text">{d.note}</span> : null}
      </button>
    );
  };

  const columns: TableColumnsType<WorkingDayDto> = [
    { title: t('calendar.date'), dataIndex: 'date', key: 'date' },
    {
      title: t('calendar.result'),
      key: 'status',
      render: (_: unknown, d) => <Tag color={TAG_COLOR[statusKey(d)]}>{status(d)}</Tag>,
    },
    {
      title: t('calendar.officialColumn'),
      key: 'official',
      render: (_: unknown, d) => {
        const holiday = holidayName(d, i18n.language);
        const official = t(`calendar.status.${officialStatusKey(d)}`);
        return holiday ? `${official} (${holiday})` : official;
      },
    },
    { title: t('calendar.note'), dataIndex: 'note', key: 'note' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, d) => (
        <Button
          size="small"
          aria-label={t('calendar.editLabel', { date: d.date })}
          onClick={() => editing.show(d)}
        >
          {t('calendar.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageTitle title={t('calendar.title')} />
      <Typography.Paragraph>{t('calendar.intro')}</Typography.Paragraph>
      <ErrorAlert error={days.error} />
      {unknownYear ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('calendar.unknownYear', { year: month.year() })}
        />
      ) : null}
      <Space wrap style={{ marginBottom: 12 }}>
        <Button
          icon={<LeftOutlined aria-hidden />}
          aria-label={t('calendar.previousMonth')}
          onClick={() => setMonth((m) => m.subtract(1, 'month'))}
        />
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          aria-label={t('calendar.month')}
          onChange={(value) => value && setMonth(value.startOf('month'))}
        />
        <Button
          icon={<RightOutlined aria-hidden />}
          aria-label={t('calendar.nextMonth')}
          onClick={() => setMonth((m) => m.add(1, 'month'))}
        />
        <Button onClick={() => setMonth(dayjs().startOf('month'))}>{t('calendar.thisMonth')}</Button>
      </Space>
      <div className="working-days-calendar">
        <Calendar
          value={month}
          headerRender={() => null}
          fullCellRender={(date, info) => (info.type === 'date' ? cell(date) : info.originNode)}
        />
      </div>
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
        {t('calendar.overridesTitle')}
      </Typography.Title>
      {overrides.length === 0 && !days.isPending ? (
        <Typography.Paragraph>{t('calendar.noOverrides')}</Typography.Paragraph>
      ) : (
        <Table
          rowKey="date"
          columns={columns}
          dataSource={overrides}
          loading={days.isPending}
          pagination={false}
          size="small"
        />
      )}
      <OverrideModal key={editing.key} open={editing.open} day={editing.value} onClose={editing.hide} />
    </>
  );
}
