import { App, Button, Popconfirm, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Grant } from '../../../../contracts/exchange.ts';
import { useErrorText } from '../../../app/errors.ts';
import { CodeBlock } from '../../catalog/components/CodeBlock.tsx';
import { formatDateTime } from '../../catalog/text.ts';
import { type IssuedCredential, useIssueCredential } from '../api.ts';
import { gatewaySnippets } from '../snippets.ts';
import { SecretBox } from './SecretBox.tsx';

/** The grantee's system credential (issue, rotate; shown once) and example gateway calls. */
export function CredentialPanel({ grant, canIssue }: { grant: Grant; canIssue: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const issue = useIssueCredential(grant.id);
  const [issued, setIssued] = useState<IssuedCredential>();
  const run = async () => {
    try {
      setIssued(await issue.mutateAsync());
    } catch (err) {
      message.error(errorText(err));
    }
  };
  const snippets = gatewaySnippets({
    origin: window.location.origin,
    distributionId: grant.distributionId,
    lookupField: grant.fields[0],
    rowFilter: grant.rowFilter,
  });
  return (
    <>
      {issued && (
        <SecretBox
          title={t('exchange.grant.credentialOnceTitle')}
          warning={t('exchange.grant.credentialOnce')}
          label={t('exchange.grant.credentialLabel')}
          value={issued.credential}
        />
      )}
      <Space wrap style={{ marginBottom: 16 }}>
        <Typography.Text>
          {grant.credentialPrefix
            ? t('exchange.grant.credentialIssued', {
                prefix: grant.credentialPrefix,
                at: formatDateTime(grant.credentialIssuedAt, i18n.language),
              })
            : t('exchange.grant.credentialNone')}
        </Typography.Text>
        {canIssue &&
          (grant.credentialPrefix ? (
            <Popconfirm
              title={t('exchange.grant.rotateConfirm')}
              okText={t('exchange.grant.rotate')}
              cancelText={t('common.cancel')}
              onConfirm={run}
            >
              <Button loading={issue.isPending}>{t('exchange.grant.rotate')}</Button>
            </Popconfirm>
          ) : (
            <Button type="primary" loading={issue.isPending} onClick={() => void run()}>
              {t('exchange.grant.issue')}
            </Button>
          ))}
      </Space>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('exchange.grant.snippets')}
      </Typography.Title>
      <Typography.Paragraph>{t('exchange.grant.snippetIntro')}</Typography.Paragraph>
      <Typography.Paragraph strong>{t('exchange.grant.snippetGrant')}</Typography.Paragraph>
      <CodeBlock code={snippets.grant} label={t('exchange.grant.snippetGrant')} />
      {snippets.lookup && (
        <>
          <Typography.Paragraph strong>{t('exchange.grant.snippetLookup')}</Typography.Paragraph>
          <CodeBlock code={snippets.lookup} label={t('exchange.grant.snippetLookup')} />
        </>
      )}
      <Typography.Paragraph strong>{t('exchange.grant.snippetRecords')}</Typography.Paragraph>
      <CodeBlock code={snippets.records} label={t('exchange.grant.snippetRecords')} />
    </>
  );
}
