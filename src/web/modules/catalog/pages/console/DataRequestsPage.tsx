import { Button, Form, Input, Radio, Select, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DataRequestDto } from '../../../../../contracts/catalog.ts';
import { applyFieldErrors } from '../../../../app/errors.ts';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { FormModal } from '../../../../ui/FormModal.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useDialog } from '../../../../ui/useDialog.ts';
import { useAnswerDataRequest, useDataRequests } from '../../api.ts';
import { datasetPath } from '../../components/ResultItem.tsx';
import { RequestStatusTag } from '../../components/tags.tsx';
import { DATA_REQUEST_STATUSES } from '../../constants.ts';
import { formatDateTime, nameOf } from '../../text.ts';
import '../../catalog.css';

type Answer = 'answered' | 'fulfilled' | 'declined';

function AnswerDialog({
  request,
  open,
  onClose,
}: {
  request?: DataRequestDto;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ status: Answer; answer: string }>();
  const answer = useAnswerDataRequest();
  const [error, setError] = useState<unknown>();
  if (!request) return null;
  const submit = async (v: { status: Answer; answer: string }) => {
    setError(undefined);
    try {
      await answer.mutateAsync({ id: request.id, status: v.status, answer: v.answer.trim() });
      onClose();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };
  return (
    <FormModal
      open={open}
      title={t('catalog.inbox.answerTitle', { code: request.trackingCode })}
      okText={t('catalog.inbox.send')}
      busy={answer.isPending}
      error={error}
      form={form}
      onClose={onClose}
      intro={
        <>
          <Typography.Paragraph strong>{request.title}</Typography.Paragraph>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
            {request.description}
          </Typography.Paragraph>
        </>
      }
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          status: request.status === 'open' ? 'answered' : request.status,
          answer: request.answer ?? '',
        }}
      >
        <Form.Item label={t('common.status')} name="status">
          <Radio.Group
            aria-label={t('common.status')}
            options={(['answered', 'fulfilled', 'declined'] as const).map((s) => ({
              value: s,
              label: t(`catalog.enums.requestStatus.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t('catalog.track.answer')}
          name="answer"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 5000 }]}
          extra={t('catalog.inbox.answerHelp')}
        >
          <Input.TextArea rows={5} maxLength={5000} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** The data requests inbox: what the public asked of the person's departments, and the answers. */
export default function DataRequestsPage() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<DataRequestDto['status'] | undefined>('open');
  const requests = useDataRequests(status);
  const answering = useDialog<DataRequestDto>();
  const columns: TableColumnsType<DataRequestDto> = [
    {
      title: t('catalog.track.createdAt'),
      dataIndex: 'createdAt',
      key: 'created',
      render: (v: string) => formatDateTime(v, i18n.language),
    },
    {
      title: t('catalog.request.codeLabel'),
      dataIndex: 'trackingCode',
      key: 'code',
      render: (c: string) => <code>{c}</code>,
    },
    { title: t('catalog.request.titleField'), dataIndex: 'title', key: 'title' },
    {
      title: t('catalog.request.dataset'),
      dataIndex: 'datasetName',
      key: 'dataset',
      render: (n: string | null) => (n ? <Link to={datasetPath(n)}>{n}</Link> : '—'),
    },
    {
      title: t('fields.department'),
      key: 'department',
      render: (_: unknown, r) => nameOf(r.department, i18n.language),
    },
    { title: t('catalog.inbox.requester'), dataIndex: 'requesterName', key: 'requester' },
    {
      title: t('common.status'),
      key: 'status',
      render: (_: unknown, r) => <RequestStatusTag status={r.status} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, r) => (
        <Button
          size="small"
          onClick={() => answering.show(r)}
          aria-label={t('catalog.inbox.answerFor', { code: r.trackingCode })}
        >
          {r.status === 'open' ? t('catalog.inbox.answer') : t('catalog.inbox.reanswer')}
        </Button>
      ),
    },
  ];
  return (
    <>
      <PageTitle title={t('catalog.inbox.title')} />
      <Typography.Paragraph>{t('catalog.inbox.intro')}</Typography.Paragraph>
      <search aria-label={t('catalog.inbox.filters')}>
        <Select<DataRequestDto['status'] | undefined>
          aria-label={t('common.status')}
          placeholder={t('catalog.console.allStatuses')}
          allowClear
          value={status}
          onChange={setStatus}
          style={{ width: 180, marginBottom: 16 }}
          options={DATA_REQUEST_STATUSES.map((s) => ({
            value: s,
            label: t(`catalog.enums.requestStatus.${s}`),
          }))}
        />
      </search>
      <ErrorAlert error={requests.error} />
      <Table<DataRequestDto>
        rowKey="id"
        columns={columns}
        dataSource={requests.data ?? []}
        loading={requests.isFetching}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: t('catalog.inbox.empty') }}
        expandable={{
          expandedRowRender: (r) => (
            <>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{r.description}</Typography.Paragraph>
              {r.answer && (
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>
                  {t('catalog.track.answer')}: {r.answer}
                </Typography.Paragraph>
              )}
            </>
          ),
          columnTitle: <span className="visually-hidden">{t('catalog.inbox.details')}</span>,
        }}
      />
      <AnswerDialog
        key={answering.key}
        request={answering.value}
        open={answering.open}
        onClose={answering.hide}
      />
    </>
  );
}
