import { Button, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DataRequestDto } from '../../../../contracts/catalog.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { DepartmentSelect } from '../../identity/components/DepartmentSelect.tsx';
import { emailRule } from '../../identity/validation.ts';
import { useCreateDataRequest } from '../api.ts';

interface Values {
  title: string;
  description: string;
  requesterName: string;
  requesterEmail: string;
  departmentId?: string;
}

const CODE_FIELDS = {
  'catalog.invalid_department': 'departmentId',
  'catalog.department_required': 'departmentId',
};

/**
 * "Request this data": about one resource (`datasetName`), or, without it, addressed to a department.
 * After sending, the tracking code is shown: it is the requester's only key to the answer.
 */
export function DataRequestForm({
  datasetName,
  datasetTitle,
}: {
  datasetName?: string;
  datasetTitle?: string;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateDataRequest();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<DataRequestDto>();

  if (done) {
    return (
      <Result
        status="success"
        title={t('catalog.request.done')}
        subTitle={t('catalog.request.codeIntro')}
        extra={
          <div role="status">
            <Typography.Paragraph>
              {t('catalog.request.codeLabel')}:{' '}
              <Typography.Text code copyable={{ text: done.trackingCode }} style={{ fontSize: 18 }}>
                {done.trackingCode}
              </Typography.Text>
            </Typography.Paragraph>
            <Link to={`/data/requests/${encodeURIComponent(done.trackingCode)}`}>
              {t('catalog.request.trackLink')}
            </Link>
          </div>
        }
      />
    );
  }

  const submit = async (v: Values) => {
    setError(undefined);
    try {
      const created = await create.mutateAsync({
        title: v.title.trim(),
        description: v.description.trim(),
        requesterName: v.requesterName.trim(),
        requesterEmail: v.requesterEmail.trim(),
        ...(datasetName ? { datasetName } : { departmentId: v.departmentId }),
      });
      setDone(created);
    } catch (err) {
      if (!applyFieldErrors(t, form, err, CODE_FIELDS)) setError(err);
    }
  };

  const required = { required: true, whitespace: true, message: t('validation.required') };
  return (
    <Form
      form={form}
      layout="vertical"
      onFinish={submit}
      initialValues={{
        title: datasetTitle ? t('catalog.request.defaultTitle', { title: datasetTitle }) : '',
      }}
      style={{ maxWidth: 640 }}
    >
      <ErrorAlert error={error} />
      {!datasetName && (
        <Form.Item label={t('fields.department')} name="departmentId" rules={[required]}>
          <DepartmentSelect placeholder={t('catalog.request.chooseDepartment')} />
        </Form.Item>
      )}
      <Form.Item
        label={t('catalog.request.titleField')}
        name="title"
        rules={[required, { min: 2, max: 200 }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        label={t('catalog.request.description')}
        name="description"
        rules={[required, { min: 5, max: 5000, message: t('catalog.request.descriptionLength') }]}
        extra={t('catalog.request.descriptionHelp')}
      >
        <Input.TextArea rows={4} maxLength={5000} />
      </Form.Item>
      <Form.Item
        label={t('catalog.request.requesterName')}
        name="requesterName"
        rules={[required, { max: 100 }]}
      >
        <Input autoComplete="name" maxLength={100} />
      </Form.Item>
      <Form.Item
        label={t('fields.email')}
        name="requesterEmail"
        rules={[required, emailRule(t)]}
        extra={t('catalog.request.emailHelp')}
      >
        <Input type="email" autoComplete="email" maxLength={200} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={create.isPending}>
        {t('catalog.request.submit')}
      </Button>
    </Form>
  );
}
