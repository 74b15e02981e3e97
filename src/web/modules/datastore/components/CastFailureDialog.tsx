import { Button, Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../app/api.ts';
import { useCaption } from './caption.tsx';

/** What the server says about values that would not survive a type change (409 datastore.cast_failed). */
export interface CastFailure {
  column: string;
  type: string;
  failures: number;
  examples: { row: number; value: string }[];
}

/** The cast failure an error carries, if it is one. */
export function castFailureOf(err: unknown): CastFailure | undefined {
  if (!(err instanceof ApiError) || err.code !== 'datastore.cast_failed' || !err.details) return undefined;
  const d = err.details as Partial<CastFailure>;
  return {
    column: String(d.column ?? ''),
    type: String(d.type ?? ''),
    failures: Number(d.failures ?? 0),
    examples: Array.isArray(d.examples) ? d.examples : [],
  };
}

/**
 * Lists the values that do not fit the new type and lets the steward choose: set them to empty
 * (NULL) and change the type, or keep the type.
 */
export function CastFailureDialog({
  failure,
  columnLabel,
  busy,
  onSetNull,
  onCancel,
}: {
  failure: CastFailure | undefined;
  columnLabel: string;
  busy: boolean;
  onSetNull: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const caption = useCaption<CastFailure['examples'][number]>(t('datastore.cast.caption'));
  const type = failure ? t(`datastore.enums.type.${failure.type}`, { defaultValue: failure.type }) : '';
  const unlisted = failure ? failure.failures - failure.examples.length : 0;
  return (
    <Modal
      open={!!failure}
      title={t('datastore.cast.title', { count: failure?.failures ?? 0, type })}
      onCancel={onCancel}
      destroyOnHidden
      footer={[
        <Button key="keep" onClick={onCancel} disabled={busy}>
          {t('datastore.cast.keep')}
        </Button>,
        <Button key="null" type="primary" danger loading={busy} onClick={onSetNull}>
          {t('datastore.cast.setNull')}
        </Button>,
      ]}
    >
      <Typography.Paragraph>{t('datastore.cast.intro', { column: columnLabel, type })}</Typography.Paragraph>
      <Table
        rowKey={(e) => `${e.row}-${e.value}`}
        size="small"
        components={caption}
        pagination={false}
        dataSource={failure?.examples ?? []}
        columns={[
          { title: t('datastore.cast.row'), dataIndex: 'row', key: 'row', width: 90 },
          {
            title: t('datastore.cast.value'),
            dataIndex: 'value',
            key: 'value',
            render: (v: string) => <code className="datastore-cell">{v}</code>,
          },
        ]}
      />
      {unlisted > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('datastore.cast.more', { count: unlisted })}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}
