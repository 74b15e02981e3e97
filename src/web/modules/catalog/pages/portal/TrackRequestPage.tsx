import { Button, Descriptions, Form, Input, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../../ui/Loading.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useTrackedRequest } from '../../api.ts';
import { datasetPath } from '../../components/ResultItem.tsx';
import { RequestStatusTag } from '../../components/tags.tsx';
import { formatDateTime, nameOf } from '../../text.ts';
import '../../catalog.css';

/** /data/requests and /data/requests/:code: enter a tracking code, see the request's status and answer. */
export default function TrackRequestPage() {
  const { t, i18n } = useTranslation();
  const { code } = useParams();
  const navigate = useNavigate();
  const tracked = useTrackedRequest(code);
  const r = tracked.data;
  return (
    <>
      <PageTitle title={t('catalog.track.title')} />
      <Typography.Paragraph>{t('catalog.track.intro')}</Typography.Paragraph>
      <Form
        layout="inline"
        key={code ?? ''}
        initialValues={{ code: code ?? '' }}
        onFinish={(v: { code: string }) => navigate(`/data/requests/${encodeURIComponent(v.code.trim())}`)}
        style={{ marginBottom: 24, rowGap: 8 }}
      >
        <Form.Item
          label={t('catalog.request.codeLabel')}
          name="code"
          rules={[
            { required: true, whitespace: true, min: 4, max: 40, message: t('catalog.track.codeRule') },
          ]}
        >
          <Input spellCheck={false} autoComplete="off" style={{ width: 220 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('catalog.track.lookUp')}
        </Button>
      </Form>
      {code && tracked.isPending && <Loading />}
      <ErrorAlert error={tracked.error} />
      {r && (
        <section aria-label={t('catalog.track.result')}>
          <Descriptions
            bordered
            size="small"
            column={1}
            items={[
              { key: 'code', label: t('catalog.request.codeLabel'), children: <code>{r.trackingCode}</code> },
              { key: 'status', label: t('common.status'), children: <RequestStatusTag status={r.status} /> },
              { key: 'title', label: t('catalog.request.titleField'), children: r.title },
              {
                key: 'dataset',
                label: t('catalog.request.dataset'),
                children: r.datasetName ? <Link to={datasetPath(r.datasetName)}>{r.datasetName}</Link> : '—',
              },
              {
                key: 'department',
                label: t('fields.department'),
                children: nameOf(r.department, i18n.language),
              },
              {
                key: 'description',
                label: t('catalog.request.description'),
                children: <span style={{ whiteSpace: 'pre-wrap' }}>{r.description}</span>,
              },
              {
                key: 'created',
                label: t('catalog.track.createdAt'),
                children: formatDateTime(r.createdAt, i18n.language),
              },
              {
                key: 'answer',
                label: t('catalog.track.answer'),
                children: r.answer ? (
                  <Space orientation="vertical" size={4}>
                    <span style={{ whiteSpace: 'pre-wrap' }}>{r.answer}</span>
                    <Typography.Text type="secondary">
                      {formatDateTime(r.answeredAt, i18n.language)}
                    </Typography.Text>
                  </Space>
                ) : (
                  t('catalog.track.noAnswer')
                ),
              },
            ]}
          />
        </section>
      )}
    </>
  );
}
