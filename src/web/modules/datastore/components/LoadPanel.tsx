import { StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Collapse, Descriptions, Popconfirm, Progress, Tag } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoadDto } from '../../../../contracts/datastore.ts';
import { ApiError } from '../../../app/api.ts';
import { useErrorText } from '../../../app/errors.ts';
import { isActive, useCancelLoad, useLoad, useRefreshTable } from '../api.ts';
import { loadErrorDetail } from '../load-report.ts';
import { LoadReportView } from './LoadReportView.tsx';

const STATUS_COLOURS: Record<LoadDto['status'], string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  // The warning tag's text falls under 4.5:1 contrast at tag size.
  cancelled: 'default',
};

/** A load's error in the interface language: its code's message, else the server's text. */
const loadError = (error: NonNullable<LoadDto['error']>) =>
  new ApiError(422, error.code, error.message, error.details, undefined);

/**
 * The last load of a table: live progress while it is queued or running (polled every second), with
 * a Cancel button; then its report, or its error.
 */
export function LoadPanel({
  distributionId,
  lastLoad,
  canEdit,
}: {
  distributionId: string;
  lastLoad: LoadDto | null;
  canEdit: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const live = useLoad(lastLoad?.id);
  const cancel = useCancelLoad(distributionId);
  const refresh = useRefreshTable();
  const load = live.data ?? lastLoad;

  // When a load ends, the table it made (rows, columns, versions) is read again.
  const previous = useRef(load?.status);
  useEffect(() => {
    const was = previous.current;
    previous.current = load?.status;
    if (was && load && isActive({ status: was }) && !isActive(load)) void refresh(distributionId);
  }, [load, distributionId, refresh]);

  const title = <h2 className="card-heading">{t('datastore.load.title')}</h2>;
  if (!load) {
    return (
      <Card title={title} style={{ marginBottom: 16 }}>
        {t('datastore.load.none')}
      </Card>
    );
  }
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');
  const active = isActive(load);
  const stage = t(`datastore.enums.stage.${load.progress.stage}`, { defaultValue: load.progress.stage });
  return (
    <Card title={title} style={{ marginBottom: 16 }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'file', label: t('datastore.load.file'), children: load.sourceName || '—' },
          { key: 'mode', label: t('datastore.load.mode'), children: t(`datastore.enums.mode.${load.mode}`) },
          {
            key: 'status',
            label: t('datastore.load.status'),
            children: (
              <Tag color={STATUS_COLOURS[load.status]}>{t(`datastore.enums.status.${load.status}`)}</Tag>
            ),
          },
          { key: 'by', label: t('datastore.load.requestedBy'), children: load.requestedBy },
          { key: 'created', label: t('datastore.load.createdAt'), children: when(load.createdAt) },
          { key: 'finished', label: t('datastore.load.finishedAt'), children: when(load.finishedAt) },
        ]}
      />
      {active && (
        <div style={{ marginTop: 12 }}>
          <Progress
            percent={load.progress.percent}
            status="active"
            aria-label={t('datastore.load.progress')}
            aria-valuetext={`${load.progress.percent}% · ${stage}`}
          />
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center', marginTop: 8 }}>
            <span>
              {t('datastore.load.stage')}: {stage}
            </span>
            <span>{t('datastore.load.rowsRead', { rows: load.progress.rows.toLocaleString() })}</span>
            {canEdit && (
              <Popconfirm
                title={t('datastore.load.cancelConfirm')}
                okText={t('datastore.load.cancel')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.close')}
                onConfirm={async () => {
                  try {
                    await cancel.mutateAsync(load.id);
                    message.success(t('datastore.load.cancelled'));
                  } catch (err) {
                    message.error(errorText(err));
                  }
                }}
              >
                <Button danger size="small" icon={<StopOutlined aria-hidden />} loading={cancel.isPending}>
                  {t('datastore.load.cancel')}
                </Button>
              </Popconfirm>
            )}
          </div>
        </div>
      )}
      {/* The outcome is announced once the polled status changes. */}
      <div role="status" style={{ marginTop: active ? 0 : 12 }}>
        {load.status === 'succeeded' && (
          <Alert
            type="success"
            showIcon
            title={t('datastore.load.succeeded', {
              rows: (load.report?.rows ?? 0).toLocaleString(),
              version: load.version ?? '—',
            })}
          />
        )}
        {load.status === 'cancelled' && (
          <Alert type="warning" showIcon title={t('datastore.enums.status.cancelled')} />
        )}
      </div>
      {load.status === 'failed' && load.error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={t('datastore.load.failed')}
          description={loadErrorDetail(t, load.error) ?? errorText(loadError(load.error))}
        />
      )}
      {load.report && (
        <Collapse
          style={{ marginTop: 12 }}
          items={[
            {
              key: 'report',
              label: t('datastore.report.show'),
              children: <LoadReportView report={load.report} />,
            },
          ]}
        />
      )}
    </Card>
  );
}
