import { DeleteOutlined, PlusOutlined, SaveOutlined, UndoOutlined } from '@ant-design/icons';
import { App, Button, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ColumnProfile, QualityRule, QualityRuleKind } from '../../../../contracts/datastore-quality.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useUpdateRules } from '../api.ts';
import { countOf, tooLong } from '../form-limits.ts';
import {
  draftOf,
  kindSuits,
  newDraft,
  RULE_KINDS,
  type RuleDraft,
  type RuleFieldError,
  ruleErrors,
  ruleOf,
  rulesChanged,
} from '../quality.ts';
import { RequiredLabel } from './RequiredMark.tsx';

/** The fields a rule's controls edit, named as the server names them in its field errors. */
type Field = 'column' | 'kind' | 'regex' | 'min' | 'max' | 'values' | 'from' | 'to';
const FIELDS: readonly string[] = ['column', 'kind', 'regex', 'min', 'max', 'values', 'from', 'to'];
/** The controls each kind shows beyond column and kind; the checksum kinds, not_null and unique need none. */
const PARAMS: Partial<Record<QualityRuleKind, readonly Field[]>> = {
  pattern: ['regex'],
  range: ['min', 'max'],
  enum: ['values'],
  date_range: ['from', 'to'],
};
/** Controls a rule cannot do without (a range or a date range needs one bound of two, either one). */
const REQUIRED: readonly Field[] = ['column', 'kind', 'regex', 'values'];
/** The server's limit on a pattern (QualityRuleSchema). */
const REGEX_MAX = 500;

/**
 * A table's column rules for its stewards: one group of controls per rule, adapted to its kind.
 * Save replaces the whole set; the server checks it and answers with the new report, or with a
 * 400 naming /rules/<index>/<field>, shown beside that rule and on the control concerned.
 */
export function RulesEditor({
  distributionId,
  columns,
  rules,
}: {
  distributionId: string;
  columns: readonly ColumnProfile[];
  /** The stored rules (the parent remounts the editor when they change). */
  rules: readonly QualityRule[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const id = useId();
  const update = useUpdateRules(distributionId);
  const [drafts, setDrafts] = useState<RuleDraft[]>(() => rules.map(draftOf));
  const [errors, setErrors] = useState<Map<number, RuleFieldError[]>>(new Map());
  const [error, setError] = useState<unknown>();
  const changed = rulesChanged(drafts, rules);

  const change = (index: number, patch: Partial<RuleDraft>) => {
    setDrafts((ds) => ds.map((d, i) => (i === index ? { ...d, ...patch } : d)));
    // The complaint was about what the rule said before; it may no longer hold.
    setErrors((m) => {
      const next = new Map(m);
      next.delete(index);
      return next;
    });
  };
  const setColumn = (index: number, column: string) => {
    const type = columns.find((c) => c.id === column)?.type;
    const draft = drafts[index];
    const keep = !!draft && !!type && kindSuits(draft.kind, type);
    change(index, keep ? { column } : { column, kind: 'not_null' });
  };
  const remove = (index: number) => {
    setDrafts((ds) => ds.filter((_, i) => i !== index));
    // Indices after the removed rule shift: the old complaints no longer point at the right rules.
    setErrors(new Map());
  };
  const add = () => {
    const first = columns[0];
    if (first) setDrafts((ds) => [...ds, newDraft(first.id)]);
  };
  /** What the editor can tell before asking the server: a pattern longer than the server takes. */
  const localProblems = (d: RuleDraft): RuleFieldError[] => {
    const long = d.kind === 'pattern' ? tooLong(t, d.regex, REGEX_MAX) : undefined;
    return long ? [{ field: 'regex', message: long }] : [];
  };
  const save = async () => {
    setError(undefined);
    setErrors(new Map());
    const local = new Map(drafts.flatMap((d, i) => (localProblems(d).length ? [[i, localProblems(d)]] : [])));
    if (local.size) {
      setErrors(local);
      message.error(t('datastore.form.fixFirst'));
      return;
    }
    try {
      await update.mutateAsync({ rules: drafts.map(ruleOf) });
      message.success(t('datastore.quality.editor.saved'));
    } catch (err) {
      setErrors(ruleErrors(err));
      setError(err);
    }
  };

  const fieldLabel = (field: string | null) =>
    field && FIELDS.includes(field)
      ? t(`datastore.quality.editor.${field}`)
      : t('datastore.quality.editor.wholeRule');

  const renderRule = (d: RuleDraft, index: number) => {
    const n = index + 1;
    const base = `${id}-${d.key}`;
    const type = columns.find((c) => c.id === d.column)?.type;
    const reported = errors.get(index) ?? [];
    const problems = [
      ...reported,
      ...localProblems(d).filter(
        (p) => !reported.some((r) => r.field === p.field && r.message === p.message),
      ),
    ];
    const errorId = `${base}-errors`;
    const invalid = (field: Field) => problems.some((p) => p.field === field);
    const a11y = (field: Field) => ({
      id: `${base}-${field}`,
      'aria-required': REQUIRED.includes(field) || undefined,
      status: invalid(field) ? ('error' as const) : undefined,
      'aria-invalid': invalid(field) || undefined,
      'aria-describedby': problems.length ? errorId : undefined,
    });
    const field = (name: Field, control: React.ReactNode) => (
      <div key={name}>
        <label htmlFor={`${base}-${name}`}>
          {REQUIRED.includes(name) && name !== 'column' && name !== 'kind' ? (
            <RequiredLabel>{t(`datastore.quality.editor.${name}`)}</RequiredLabel>
          ) : (
            t(`datastore.quality.editor.${name}`)
          )}
        </label>
        {control}
      </div>
    );
    const columnName = columns.find((c) => c.id === d.column)?.label ?? d.column;
    const params: Record<Field, () => React.ReactNode> = {
      column: () => null,
      kind: () => null,
      regex: () => (
        <Input
          {...a11y('regex')}
          value={d.regex}
          count={countOf(REGEX_MAX)}
          style={{ width: 260, fontFamily: 'monospace' }}
          onChange={(e) => change(index, { regex: e.target.value })}
        />
      ),
      min: () => (
        <InputNumber
          {...a11y('min')}
          value={d.min}
          style={{ width: 140 }}
          onChange={(v) => change(index, { min: typeof v === 'number' ? v : null })}
        />
      ),
      max: () => (
        <InputNumber
          {...a11y('max')}
          value={d.max}
          style={{ width: 140 }}
          onChange={(v) => change(index, { max: typeof v === 'number' ? v : null })}
        />
      ),
      values: () => (
        <Select
          {...a11y('values')}
          mode="tags"
          value={d.values}
          tokenSeparators={[',', '，']}
          open={false}
          suffixIcon={null}
          style={{ minWidth: 260 }}
          onChange={(values: string[]) => change(index, { values })}
        />
      ),
      from: () => (
        <Input
          {...a11y('from')}
          type="date"
          value={d.from}
          onChange={(e) => change(index, { from: e.target.value })}
        />
      ),
      to: () => (
        <Input
          {...a11y('to')}
          type="date"
          value={d.to}
          onChange={(e) => change(index, { to: e.target.value })}
        />
      ),
    };
    const shown = PARAMS[d.kind] ?? [];
    return (
      <fieldset key={d.key} className="datastore-rule">
        <legend className="datastore-rule-legend">
          {t('datastore.quality.editor.rule', { n, column: columnName })}
        </legend>
        <div className="datastore-toolbar" style={{ marginTop: 8, marginBottom: 0 }}>
          {field(
            'column',
            <Select
              {...a11y('column')}
              value={d.column}
              style={{ width: 200 }}
              popupMatchSelectWidth={false}
              options={columns.map((c) => ({ value: c.id, label: c.label }))}
              onChange={(column: string) => setColumn(index, column)}
            />,
          )}
          {field(
            'kind',
            <Select
              {...a11y('kind')}
              value={d.kind}
              style={{ width: 200 }}
              popupMatchSelectWidth={false}
              options={RULE_KINDS.filter((k) => !type || kindSuits(k, type)).map((k) => ({
                value: k,
                label: t(`datastore.quality.kinds.${k}`),
              }))}
              onChange={(kind: QualityRuleKind) => change(index, { kind })}
            />,
          )}
          {shown.map((name) => field(name, params[name]()))}
          {shown.length === 0 && (
            <Typography.Text type="secondary">{t('datastore.quality.editor.noParams')}</Typography.Text>
          )}
          <Button
            icon={<DeleteOutlined aria-hidden />}
            aria-label={t('datastore.quality.editor.remove', { n })}
            onClick={() => remove(index)}
          />
        </div>
        {problems.length > 0 && (
          <ul id={errorId} className="datastore-rule-errors">
            {problems.map((p) => (
              <li key={`${p.field}-${p.message}`}>
                {t('datastore.quality.editor.ruleError', { field: fieldLabel(p.field), message: p.message })}
              </li>
            ))}
          </ul>
        )}
      </fieldset>
    );
  };

  return (
    <section aria-labelledby={`${id}-heading`} style={{ marginTop: 24 }}>
      <Typography.Title level={3} id={`${id}-heading`} style={{ fontSize: 16 }}>
        {t('datastore.quality.editor.heading')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('datastore.quality.editor.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {drafts.length === 0 && (
        <Typography.Paragraph type="secondary">{t('datastore.quality.editor.empty')}</Typography.Paragraph>
      )}
      {drafts.map(renderRule)}
      <Space wrap style={{ marginTop: 12 }}>
        <Button icon={<PlusOutlined aria-hidden />} onClick={add} disabled={columns.length === 0}>
          {t('datastore.quality.editor.add')}
        </Button>
        <Button
          type="primary"
          icon={<SaveOutlined aria-hidden />}
          loading={update.isPending}
          disabled={!changed}
          onClick={() => void save()}
        >
          {t('datastore.quality.editor.save')}
        </Button>
        <Button
          icon={<UndoOutlined aria-hidden />}
          disabled={!changed || update.isPending}
          onClick={() => {
            setDrafts(rules.map(draftOf));
            setErrors(new Map());
            setError(undefined);
          }}
        >
          {t('datastore.quality.editor.reset')}
        </Button>
        <span role="status">{changed && t('datastore.quality.editor.unsaved')}</span>
      </Space>
    </section>
  );
}
