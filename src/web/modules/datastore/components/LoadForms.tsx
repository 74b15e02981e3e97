import { ReloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, Row, Select, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DictionaryColumn, LoadOptions } from '../../../../contracts/datastore.ts';
import { LOAD_MODES } from '../../../../contracts/datastore-values.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useReload, useUploadLoad } from '../api.ts';
import { countOf, maxRule } from '../form-limits.ts';
import { requiredMark } from './RequiredMark.tsx';

const ENCODINGS = ['utf-8', 'gb18030', 'utf-16le', 'utf-16be'] as const;
const half = { xs: 24, md: 12 };

interface OptionValues {
  mode?: LoadOptions['mode'];
  key?: string[];
  sheet?: string;
  encoding?: LoadOptions['encoding'] | '';
  delimiter?: string;
}

/** The form's values as load options: empty fields left out, "\t" typed for a tab. */
function toOptions(v: OptionValues): LoadOptions {
  const delimiter = v.delimiter === '\\t' ? '\t' : v.delimiter;
  return {
    ...(v.mode ? { mode: v.mode } : {}),
    ...(v.key?.length ? { key: v.key } : {}),
    ...(v.sheet?.trim() ? { sheet: v.sheet.trim() } : {}),
    ...(v.encoding ? { encoding: v.encoding } : {}),
    ...(delimiter ? { delimiter } : {}),
  };
}

/** Mode, key columns, sheet, encoding and delimiter: the options of a load, shared by both forms. */
function OptionFields({
  columns,
  sheets,
  withMode,
}: {
  columns: DictionaryColumn[];
  sheets: string[];
  withMode: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Row gutter={16}>
      {withMode && (
        <Col {...half}>
          <Form.Item label={t('datastore.upload.mode')} name="mode">
            <Select options={LOAD_MODES.map((m) => ({ value: m, label: t(`datastore.enums.mode.${m}`) }))} />
          </Form.Item>
        </Col>
      )}
      <Col {...half}>
        <Form.Item label={t('datastore.upload.key')} name="key" extra={t('datastore.upload.keyHelp')}>
          <Select
            mode="tags"
            tokenSeparators={[',']}
            options={columns.map((c) => ({ value: c.id, label: `${c.label} (${c.id})` }))}
          />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label={t('datastore.upload.sheet')}
          name="sheet"
          extra={t('datastore.upload.sheetHelp')}
          rules={[maxRule(t, 200)]}
        >
          {sheets.length > 1 ? (
            <Select allowClear options={sheets.map((s) => ({ value: s, label: s }))} />
          ) : (
            <Input count={countOf(200)} />
          )}
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item label={t('datastore.upload.encoding')} name="encoding">
          <Select
            options={[
              { value: '', label: t('datastore.upload.encodingAuto') },
              ...ENCODINGS.map((e) => ({ value: e, label: t(`datastore.enums.encoding.${e}`) })),
            ]}
          />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          label={t('datastore.upload.delimiter')}
          name="delimiter"
          extra={t('datastore.upload.delimiterHelp')}
          rules={[{ pattern: /^(.|\\t)?$/u, message: t('datastore.upload.delimiterHelp') }]}
        >
          {/* No maxLength: a pasted "tab" or ";;" is refused with the help text, not cut to two characters. */}
          <Input spellCheck={false} style={{ width: 120 }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** Loads a new file into the table: replace, append or upsert by key. */
export function UploadLoadForm({
  distributionId,
  columns,
  sheets,
}: {
  distributionId: string;
  columns: DictionaryColumn[];
  sheets: string[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useUploadLoad(distributionId);
  const [form] = Form.useForm<OptionValues>();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [fileError, setFileError] = useState<string>();
  const [error, setError] = useState<unknown>();

  const submit = async (values: OptionValues) => {
    setError(undefined);
    if (!file) {
      setFileError(t('datastore.upload.chooseFirst'));
      return;
    }
    try {
      await upload.mutateAsync({ file, ...toOptions(values) });
      message.success(t('datastore.upload.started'));
      form.resetFields();
      setFile(undefined);
      if (fileInput.current) fileInput.current.value = '';
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  return (
    <Card
      title={<h2 className="card-heading">{t('datastore.upload.title')}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Typography.Paragraph type="secondary">{t('datastore.upload.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form
        form={form}
        name="datastore-upload"
        noValidate
        layout="vertical"
        requiredMark={requiredMark}
        onFinish={submit}
        // Another field's error stops onFinish: say at the same time that the file is missing.
        onFinishFailed={() => {
          if (!file) setFileError(t('datastore.upload.chooseFirst'));
        }}
        initialValues={{ mode: 'replace', encoding: '' }}
      >
        <Form.Item
          label={t('datastore.upload.file')}
          htmlFor="datastore-upload-file"
          required
          validateStatus={fileError ? 'error' : undefined}
          help={fileError && <span id="datastore-upload-file-error">{fileError}</span>}
        >
          <input
            id="datastore-upload-file"
            ref={fileInput}
            type="file"
            // Announced as required; the form's noValidate leaves the check to submit(), which says it
            // beside the field like the other fields' errors instead of in the browser's own bubble.
            required
            aria-invalid={fileError ? true : undefined}
            aria-describedby={fileError ? 'datastore-upload-file-error' : undefined}
            accept=".csv,.tsv,.txt,.xlsx,.json,.ndjson,.geojson,.parquet"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setFileError(undefined);
            }}
          />
        </Form.Item>
        <OptionFields columns={columns} sheets={sheets} withMode />
        <Button
          type="primary"
          htmlType="submit"
          icon={<UploadOutlined aria-hidden />}
          loading={upload.isPending}
        >
          {t('datastore.upload.submit')}
        </Button>
      </Form>
    </Card>
  );
}

/** Loads the stored file again with other options (another sheet, encoding or delimiter). */
export function ReloadForm({
  distributionId,
  columns,
  sheets,
}: {
  distributionId: string;
  columns: DictionaryColumn[];
  sheets: string[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reload = useReload(distributionId);
  const [form] = Form.useForm<OptionValues>();
  const [error, setError] = useState<unknown>();
  const submit = async (values: OptionValues) => {
    setError(undefined);
    try {
      await reload.mutateAsync(toOptions(values));
      message.success(t('datastore.upload.started'));
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };
  return (
    <Card
      title={<h2 className="card-heading">{t('datastore.reload.title')}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Typography.Paragraph type="secondary">{t('datastore.reload.intro')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form
        form={form}
        name="datastore-reload"
        layout="vertical"
        requiredMark={requiredMark}
        onFinish={submit}
        initialValues={{ encoding: '' }}
      >
        <OptionFields columns={columns} sheets={sheets} withMode={false} />
        <Button htmlType="submit" icon={<ReloadOutlined aria-hidden />} loading={reload.isPending}>
          {t('datastore.reload.submit')}
        </Button>
      </Form>
    </Card>
  );
}
