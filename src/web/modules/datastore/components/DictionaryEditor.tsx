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
import { tooLong } from '../form-limits.ts';
import { type ColumnDraft, columnName, dictionaryChanges, type EditableField } from '../query.ts';
import { type CastFailure, CastFailureDialog, castFailureOf } from './CastFailureDialog.tsx';
import { useCaption } from './caption.tsx';
import { RequiredLabel } from './RequiredMark.tsx';

type TextField = 'label' | 'labelEn' | 'description' | 'unit';
type ChoiceField = 'type' | 'sensitivity' | 'mask';

const CHOICES: Record<ChoiceField, readonly string[]> = {
  type: DATASTORE_TYPES,
  sensitivity: COLUMN_SENSITIVITIES,
  mask: MASK_RULES,
};
const MAX_LENGTH: Record<TextField, number> = { label: 200, labelEn: 200, description: 1000, unit: 50 };
const TEXT_FIELDS = Object.keys(MAX_LENGTH) as TextField[];

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
  /** What is wrong with a text field as typed: too long, or an emptied label. */
  const problemOf = (c: DictionaryColumn, field: TextField) => {
    const value = current(c, field);
    if (field === 'label' && value.trim() === '') return t('datastore.form.labelRequired');
    return tooLong(t, value, MAX_LENGTH[field]);
  };
  const invalid = columns.some((c) => TEXT_FIELDS.some((f) => problemOf(c, f)));
  const save = () => {
    if (invalid) {
      message.error(t('datastore.form.fixFirst'));
      return;
    }
    if (changes.length === 0) {
      message.info(t('datastore.dictionary.noChanges'));
      return;
    }
    void send({ columns: changes });
  };

  /**
   * A text field: the whole text kept as typed or pasted (no maxLength to cut it), and what is wrong
   * under it. No character count: in a narrow cell it would hide the text itself.
   */
  const textInput = (field: TextField, c: DictionaryColumn) => {
    if (!editable) return <div className="datastore-dict-value">{current(c, field) || '—'}</div>;
    const problem = problemOf(c, field);
    const errorId = `ds-dict-${field}-${c.id}-error`;
    return (
      <div className="datastore-dict-field">
        <Input
          size="small"
          aria-label={fieldName(field, c)}
          aria-required={field === 'label' || undefined}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          status={problem ? 'error' : undefined}
          value={current(c, field)}
          onChange={(e) => set(c.id, field, e.target.value)}
        />
        {problem && (
          <span id={errorId} className="datastore-field-error">
            {problem}
          </span>
        )}
      </div>
    );
  };
  const choiceInput = (field: ChoiceField, c: DictionaryColumn) => {
    const label = (v: string) => t(`datastore.enums.${field}.${v}`);
    if (!editable) return <div className="datastore-dict-value">{label(current(c, field))}</div>;
    return (
      <div className="datastore-dict-field">
        <Select
          size="small"
          aria-label={fieldName(field, c)}
          value={current(c, field)}
          style={{ width: '100%' }}
          popupMatchSelectWidth={false}
          options={CHOICES[field].map((v) => ({ value: v, label: label(v) }))}
          onChange={(v: string) => set(c.id, field, v)}
        />
      </div>
    );
  };
  /** A column heading naming the fields stacked in its cells, one line each. */
  const heading = (...lines: React.ReactNode[]) => (
    <>
      {lines.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines are fixed and never reorder
        <div key={i}>{line}</div>
      ))}
    </>
  );
  const title = (field: EditableField | 'subject' | 'indexed') => t(`datastore.dictionary.${field}`);

  // Ten fields a column would not fit a console window of 1280 px: related ones share a cell, one
  // above the other (names, protection, subject and index), so the whole dictionary stays in view.
  const tableColumns: TableColumnsType<DictionaryColumn> = [
    {
      title: t('datastore.dictionary.id'),
      dataIndex: 'id',
      key: 'id',
      fixed: 'left',
      width: 100,
      render: (id: string) => (
        <>
          <code className="datastore-dict-id">{id}</code>
          {changes.some((ch) => ch.id === id) && (
            <Tag color="processing" style={{ marginTop: 4 }}>
              {t('datastore.dictionary.edited')}
            </Tag>
          )}
        </>
      ),
    },
    {
      title: heading(
        editable ? <RequiredLabel>{title('label')}</RequiredLabel> : title('label'),
        title('labelEn'),
      ),
      key: 'names',
      width: 150,
      render: (_: unknown, c: DictionaryColumn) => (
        <>
          {textInput('label', c)}
          {textInput('labelEn', c)}
        </>
      ),
    },
    {
      title: title('description'),
      key: 'description',
      render: (_: unknown, c: DictionaryColumn) => textInput('description', c),
    },
    {
      title: title('unit'),
      key: 'unit',
      width: 70,
      render: (_: unknown, c: DictionaryColumn) => textInput('unit', c),
    },
    {
      title: title('type'),
      key: 'type',
      width: 120,
      render: (_: unknown, c: DictionaryColumn) => choiceInput('type', c),
    },
    {
      title: heading(title('sensitivity'), title('mask')),
      key: 'protection',
      width: 180,
      render: (_: unknown, c: DictionaryColumn) => (
        <>
          {choiceInput('sensitivity', c)}
          {choiceInput('mask', c)}
        </>
      ),
    },
    {
      // Which people or businesses a row is about: the exchange shows them every access ("my data").
      title: heading(title('subject'), title('indexed')),
      key: 'subject',
      width: 176,
      render: (_: unknown, c: DictionaryColumn) => {
        const label = (v: string) => t(`datastore.enums.subject.${v || 'none'}`);
        return (
          <>
            {editable ? (
              <div className="datastore-dict-field">
                <Select
                  size="small"
                  aria-label={fieldName('subject', c)}
                  value={subjectOf(c)}
                  style={{ width: '100%' }}
                  popupMatchSelectWidth={false}
                  options={['', ...SUBJECT_KINDS].map((v) => ({ value: v, label: label(v) }))}
                  onChange={(v: string) => set(c.id, 'subject', v)}
                />
              </div>
            ) : (
              <div className="datastore-dict-value">{label(subjectOf(c))}</div>
            )}
            <Checkbox
              aria-label={fieldName('indexed', c)}
              checked={indexedOf(c)}
              disabled={!editable}
              onChange={(e) => set(c.id, 'indexed', e.target.checked)}
            >
              {title('indexed')}
            </Checkbox>
          </>
        );
      },
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
        tableLayout="fixed"
        // Narrower than this (a phone) the table scrolls sideways, the column id staying in view.
        scroll={{ x: 950 }}
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
