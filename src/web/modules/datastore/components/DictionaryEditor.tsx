import { SaveOutlined, UndoOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Checkbox,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DictionaryColumn, DictionaryUpdate } from '../../../../contracts/datastore.ts';
import {
  COLUMN_SENSITIVITIES,
  DATASTORE_TYPES,
  MASK_RULES,
  SUBJECT_KINDS,
} from '../../../../contracts/datastore-values.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useUpdateDictionary } from '../api.ts';
import { type ColumnDraft, columnName, dictionaryChanges, type EditableField } from '../query.ts';
import { type CastFailure, CastFailureDialog, castFailureOf } from './CastFailureDialog.tsx';
import { useCaption } from './caption.tsx';

type TextField = 'label' | 'labelEn' | 'description' | 'unit';
type ChoiceField = 'type' | 'sensitivity' | 'mask';

const CHOICES: Record<ChoiceField, readonly string[]> = {
  type: DATASTORE_TYPES,
  sensitivity: COLUMN_SENSITIVITIES,
  mask: MASK_RULES,
};
const MAX_LENGTH: Record<TextField, number> = { label: 200, labelEn: 200, description: 1000, unit: 50 };
const WIDTH: Record<EditableField, number> = {
  label: 160,
  labelEn: 160,
  description: 220,
  unit: 90,
  type: 130,
  sensitivity: 130,
  mask: 150,
};

/**
 * The data dictionary as a table of columns with their labels, description, unit, type, sensitivity
 * and masking. Stewards edit in place; Save sends only what changed. A type change whose values do
 * not all convert opens a dialog listing them, with the choice to set them to NULL or keep the type.
 */
export function DictionaryEditor({
  distributionId,
  columns,
  editable,
}: {
  distributionId: string;
  columns: DictionaryColumn[];
  editable: boolean;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateDictionary(distributionId);
  const caption = useCaption<DictionaryColumn>(t('datastore.dictionary.caption'));
  const [drafts, setDrafts] = useState<Record<string, ColumnDraft>>({});
  const [error, setError] = useState<unknown>();
  const [failure, setFailure] = useState<{ cast: CastFailure; body: DictionaryUpdate }>();

  const changes = dictionaryChanges(columns, drafts);
  const current = (c: DictionaryColumn, field: EditableField) => drafts[c.id]?.[field] ?? c[field] ?? '';
  const set = (id: string, field: keyof ColumnDraft, value: string | boolean) =>
    setDrafts((d) => ({ ...d, [id]: { ...d[id], [field]: value } }));
  const subjectOf = (c: DictionaryColumn) => drafts[c.id]?.subject ?? c.subject ?? '';
  const indexedOf = (c: DictionaryColumn) => drafts[c.id]?.indexed ?? c.indexed ?? false;
  const fieldName = (field: EditableField | 'subject' | 'indexed', c: DictionaryColumn) =>
    t('datastore.dictionary.fieldFor', { field: t(`datastore.dictionary.${field}`), column: c.id });

  const send = async (body: DictionaryUpdate) => {
    setError(undefined);
    try {
      await update.mutateAsync(body);
      setDrafts({});
      setFailure(undefined);
      message.success(t('datastore.dictionary.saved'));
    } catch (err) {
      const cast = castFailureOf(err);
      if (cast && body.onCastFailure !== 'null') setFailure({ cast, body });
      else {
        setFailure(undefined);
        setError(err);
      }
    }
  };
  const save = () => {
    if (changes.length === 0) {
      message.info(t('datastore.dictionary.noChanges'));
      return;
    }
    void send({ columns: changes });
  };

  const text = (field: TextField) => ({
    title: t(`datastore.dictionary.${field}`),
    key: field,
    width: WIDTH[field],
    render: (_: unknown, c: DictionaryColumn) =>
      editable ? (
        <Input
          size="small"
          aria-label={fieldName(field, c)}
          value={current(c, field)}
          maxLength={MAX_LENGTH[field]}
          onChange={(e) => set(c.id, field, e.target.value)}
        />
      ) : (
        current(c, field) || '—'
      ),
  });
  const choice = (field: ChoiceField) => ({
    title: t(`datastore.dictionary.${field}`),
    key: field,
    width: WIDTH[field],
    render: (_: unknown, c: DictionaryColumn) => {
      const label = (v: string) => t(`datastore.enums.${field}.${v}`);
      return editable ? (
        <Select
          size="small"
          aria-label={fieldName(field, c)}
          value={current(c, field)}
          style={{ width: WIDTH[field] - 16 }}
          popupMatchSelectWidth={false}
          options={CHOICES[field].map((v) => ({ value: v, label: label(v) }))}
          onChange={(v: string) => set(c.id, field, v)}
        />
      ) : (
        label(current(c, field))
      );
    },
  });

  const tableColumns: TableColumnsType<DictionaryColumn> = [
    {
      title: t('datastore.dictionary.id'),
      dataIndex: 'id',
      key: 'id',
      fixed: 'left',
      render: (id: string) => (
        <>
          <code>{id}</code>
          {changes.some((ch) => ch.id === id) && (
            <Tag color="processing" style={{ marginLeft: 4 }}>
              {t('datastore.dictionary.edited')}
            </Tag>
          )}
        </>
      ),
    },
    text('label'),
    text('labelEn'),
    text('description'),
    text('unit'),
    choice('type'),
    choice('sensitivity'),
    choice('mask'),
    {
      // Which people or businesses a row is about: the exchange shows them every access ("my data").
      title: t('datastore.dictionary.subject'),
      key: 'subject',
      width: 170,
      render: (_: unknown, c: DictionaryColumn) => {
        const label = (v: string) => t(`datastore.enums.subject.${v || 'none'}`);
        return editable ? (
          <Select
            size="small"
            aria-label={fieldName('subject', c)}
            value={subjectOf(c)}
            style={{ width: 154 }}
            popupMatchSelectWidth={false}
            options={['', ...SUBJECT_KINDS].map((v) => ({ value: v, label: label(v) }))}
            onChange={(v: string) => set(c.id, 'subject', v)}
          />
        ) : (
          label(subjectOf(c))
        );
      },
    },
    {
      title: t('datastore.dictionary.indexed'),
      key: 'indexed',
      width: 90,
      render: (_: unknown, c: DictionaryColumn) => (
        <Checkbox
          aria-label={fieldName('indexed', c)}
          checked={indexedOf(c)}
          disabled={!editable}
          onChange={(e) => set(c.id, 'indexed', e.target.checked)}
        />
      ),
    },
  ];

  const failed = failure?.cast;
  const failedColumn = columns.find((c) => c.id === failed?.column);
  return (
    <Card
      title={<h2 className="card-heading">{t('datastore.dictionary.title')}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Typography.Paragraph type="secondary">{t('datastore.dictionary.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Table<DictionaryColumn>
        rowKey="id"
        size="small"
        columns={tableColumns}
        dataSource={columns}
        components={caption}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <span className="datastore-empty">{t('datastore.dictionary.empty')}</span> }}
      />
      {editable && columns.length > 0 && (
        <Space wrap style={{ marginTop: 12 }}>
          <Button
            type="primary"
            icon={<SaveOutlined aria-hidden />}
            loading={update.isPending}
            onClick={save}
          >
            {t('datastore.dictionary.save')}
          </Button>
          <Button
            icon={<UndoOutlined aria-hidden />}
            disabled={changes.length === 0 || update.isPending}
            onClick={() => setDrafts({})}
          >
            {t('datastore.dictionary.reset')}
          </Button>
          <span role="status">
            {changes.length > 0 && t('datastore.dictionary.changed', { count: changes.length })}
          </span>
        </Space>
      )}
      <CastFailureDialog
        failure={failed}
        columnLabel={failedColumn ? columnName(failedColumn) : (failed?.column ?? '')}
        busy={update.isPending}
        onCancel={() => setFailure(undefined)}
        onSetNull={() => {
          if (failure) void send({ ...failure.body, onCastFailure: 'null' });
        }}
      />
    </Card>
  );
}
