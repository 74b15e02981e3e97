import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Form, Input, Popconfirm, Row, Select } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetDto } from '../../../../contracts/catalog.ts';
import { applyFieldErrors, useErrorText } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useAddLink, useDeleteDistribution, useUploadFile } from '../api.ts';
import { DistributionTable } from './DistributionTable.tsx';

const half = { xs: 24, md: 12 };

/** Uploads a file with its name, description and format (the format defaults to the file's extension). */
function UploadForm({ datasetId }: { datasetId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const upload = useUploadFile(datasetId);
  const [form] = Form.useForm<{ name?: string; description?: string; format?: string }>();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File>();
  const [error, setError] = useState<unknown>();
  const [fileError, setFileError] = useState<string>();

  const submit = async (v: { name?: string; description?: string; format?: string }) => {
    setError(undefined);
    if (!file) {
      setFileError(t('catalog.files.chooseFirst'));
      return;
    }
    try {
      await upload.mutateAsync({
        file,
        name: v.name?.trim(),
        description: v.description?.trim(),
        format: v.format?.trim(),
      });
      message.success(t('catalog.files.uploaded', { name: file.name }));
      form.resetFields();
      setFile(undefined);
      if (fileInput.current) fileInput.current.value = '';
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Card title={<h2 className="card-heading">{t('catalog.files.upload')}</h2>} style={{ marginBottom: 16 }}>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          label={t('catalog.files.file')}
          htmlFor="catalog-file"
          validateStatus={fileError ? 'error' : undefined}
          help={fileError}
          extra={t('catalog.files.fileHelp')}
        >
          <input
            id="catalog-file"
            ref={fileInput}
            type="file"
            className="catalog-file-input"
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setFileError(undefined);
            }}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item label={t('catalog.files.name')} name="name" extra={t('catalog.files.nameHelp')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('catalog.files.format')}
              name="format"
              normalize={(v?: string) => v?.toUpperCase()}
            >
              <Input maxLength={40} placeholder="CSV" spellCheck={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('catalog.files.description')} name="description">
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          icon={<UploadOutlined aria-hidden />}
          loading={upload.isPending}
        >
          {t('catalog.files.uploadButton')}
        </Button>
      </Form>
    </Card>
  );
}

interface LinkValues {
  name: string;
  url: string;
  kind: 'link' | 'api';
  format?: string;
  description?: string;
}

/** Adds an external link or API endpoint. */
function LinkForm({ datasetId }: { datasetId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const add = useAddLink(datasetId);
  const [form] = Form.useForm<LinkValues>();
  const [error, setError] = useState<unknown>();
  const submit = async (v: LinkValues) => {
    setError(undefined);
    try {
      await add.mutateAsync({
        name: v.name.trim(),
        url: v.url.trim(),
        kind: v.kind,
        ...(v.format?.trim() ? { format: v.format.trim() } : {}),
        ...(v.description?.trim() ? { description: v.description.trim() } : {}),
      });
      message.success(t('catalog.files.linkAdded'));
      form.resetFields();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };
  const required = { required: true, whitespace: true, message: t('validation.required') };
  return (
    <Card title={<h2 className="card-heading">{t('catalog.files.addLink')}</h2>} style={{ marginBottom: 16 }}>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'link' }}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item label={t('catalog.files.name')} name="name" rules={[required, { max: 300 }]}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('catalog.files.url')}
              name="url"
              rules={[required, { pattern: /^https?:\/\//, message: t('catalog.files.urlPattern') }]}
            >
              <Input type="url" maxLength={2000} spellCheck={false} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.files.kind')} name="kind">
              <Select
                options={(['link', 'api'] as const).map((k) => ({
                  value: k,
                  label: t(`catalog.enums.distributionKind.${k}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('catalog.files.format')}
              name="format"
              normalize={(v?: string) => v?.toUpperCase()}
            >
              <Input maxLength={40} spellCheck={false} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label={t('catalog.files.description')} name="description">
          <Input.TextArea rows={2} maxLength={5000} />
        </Form.Item>
        <Button htmlType="submit" loading={add.isPending}>
          {t('catalog.files.addLinkButton')}
        </Button>
      </Form>
    </Card>
  );
}

/** The console's distributions tab: the list with remove buttons, and forms to upload or link more. */
export function DistributionsEditor({ dataset, editable }: { dataset: DatasetDto; editable: boolean }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const remove = useDeleteDistribution();
  return (
    <>
      <DistributionTable
        distributions={dataset.distributions}
        actions={
          editable
            ? (d) => (
                <Popconfirm
                  title={t('catalog.files.removeConfirm', { name: d.name })}
                  okText={t('catalog.files.remove')}
                  okButtonProps={{ danger: true }}
                  cancelText={t('common.cancel')}
                  onConfirm={async () => {
                    try {
                      await remove.mutateAsync(d.id);
                      message.success(t('catalog.files.removed', { name: d.name }));
                    } catch (err) {
                      message.error(errorText(err));
                    }
                  }}
                >
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('catalog.files.removeName', { name: d.name })}
                  >
                    {t('catalog.files.remove')}
                  </Button>
                </Popconfirm>
              )
            : undefined
        }
      />
      {editable && (
        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col xs={24} xl={12}>
            <UploadForm datasetId={dataset.id} />
          </Col>
          <Col xs={24} xl={12}>
            <LinkForm datasetId={dataset.id} />
          </Col>
        </Row>
      )}
    </>
  );
}
