import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Divider, Form, Input, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterAccountDto } from '../../../../contracts/identity.ts';
import { ApiError } from '../../../app/api.ts';
import { useMe } from '../../../app/auth.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { FormModal } from '../../../ui/FormModal.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useCounterLookup, useCounterRelease, useCounterVerify } from '../api.ts';

/** Counter errors this page explains itself (identity.<code> → counter.errors.<code>). */
const KNOWN = new Set([
  'invalid_identifier',
  'account_not_found',
  'already_verified',
  'counter_code_required',
  'no_counter_code',
  'release_verified_account',
  'release_pending',
]);

function useCounterError() {
  const { t } = useTranslation();
  return (err: unknown): unknown => {
    const code = err instanceof ApiError ? err.code.replace(/^identity\./, '') : '';
    if (code === 'counter_code_wrong' && err instanceof ApiError) {
      const left = Number(err.details?.attemptsLeft ?? 0);
      return new Error(
        left > 0 ? t('counter.errors.counter_code_wrong', { left }) : t('counter.errors.counter_code_voided'),
      );
    }
    return KNOWN.has(code) ? new Error(t(`counter.errors.${code}`)) : err;
  };
}

/** Eight letters and digits, however spaced or hyphenated. */
const CODE_PATTERN = /^[\s-]*(?:[0-9A-Za-z][\s-]*){8}$/;

/**
 * Confirms asking to release the number from an account whose holder cannot show its counter code
 * (someone else registered with the number of the person at the counter); a reason is required. The
 * release takes effect after a notice period, unless the account is verified meanwhile.
 */
function ReleaseDialog({
  open,
  account,
  identifier,
  onClose,
  onReleased,
}: {
  open: boolean;
  account: CounterAccountDto;
  identifier: string;
  onClose: () => void;
  onReleased: (a: CounterAccountDto) => void;
}) {
  const { t } = useTranslation();
  const release = useCounterRelease();
  const explain = useCounterError();
  const [form] = Form.useForm<{ note: string }>();
  const [error, setError] = useState<unknown>();
  const submit = async ({ note }: { note: string }) => {
    setError(undefined);
    try {
      onReleased(await release.mutateAsync({ identifier, personId: account.id, note: note.trim() }));
      onClose();
    } catch (err) {
      setError(explain(err));
    }
  };
  return (
    <FormModal
      open={open}
      title={t('counter.releaseTitle', { name: account.displayNameMasked })}
      okText={t('counter.releaseConfirm')}
      busy={release.isPending}
      error={error}
      form={form}
      onClose={onClose}
      intro={<Typography.Paragraph>{t('counter.releaseHelp')}</Typography.Paragraph>}
    >
      <Form form={form} name={`release-${account.id}`} layout="vertical" onFinish={submit}>
        <Form.Item
          label={t('counter.releaseNote')}
          name="note"
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}
        >
          <Input maxLength={200} showCount placeholder={t('counter.releaseNotePlaceholder')} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** One looked-up account: the masked summary, and the verify form while it is unverified. */
function AccountCard({
  account,
  identifier,
  onVerified,
  onReleased,
}: {
  account: CounterAccountDto;
  identifier: string;
  onVerified: (a: CounterAccountDto) => void;
  onReleased: (a: CounterAccountDto) => void;
}) {
  const { t } = useTranslation();
  const verify = useCounterVerify();
  const explain = useCounterError();
  const [error, setError] = useState<unknown>();
  const [releasing, setReleasing] = useState(false);
  const [form] = Form.useForm<{ code: string; note: string }>();
  const date = (iso: string) => new Date(iso).toLocaleDateString();
  const submit = async ({ code, note }: { code: string; note: string }) => {
    setError(undefined);
    try {
      onVerified(
        await verify.mutateAsync({ identifier, personId: account.id, code: code.trim(), note: note.trim() }),
      );
    } catch (err) {
      setError(explain(err));
    }
  };
  // A released account keeps its row (disabled) but no longer holds any number.
  const released = account.identifierMasked === '';
  const headingId = `counter-account-${account.id}`;
  return (
    <Card
      role="region"
      aria-labelledby={headingId}
      title={
        <span id={headingId}>
          {account.displayNameMasked} · {t(`kinds.${account.kind}`)}
        </span>
      }
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('counter.name')}>{account.displayNameMasked}</Descriptions.Item>
        <Descriptions.Item label={t('counter.identifier')}>{account.identifierMasked}</Descriptions.Item>
        {account.companyName && (
          <Descriptions.Item label={t('counter.company')}>{account.companyName}</Descriptions.Item>
        )}
        <Descriptions.Item label={t('counter.registeredAt')}>{date(account.registeredAt)}</Descriptions.Item>
        <Descriptions.Item label={t('counter.status')}>
          {account.identityVerifiedAt ? (
            <Tag icon={<CheckCircleOutlined aria-hidden />}>
              {t('counter.verifiedOn', { date: date(account.identityVerifiedAt) })}
            </Tag>
          ) : (
            // Plain tags: the coloured warning tag's text falls short of WCAG contrast.
            <Tag icon={<ExclamationCircleOutlined aria-hidden />}>{t('counter.unverified')}</Tag>
          )}
          {account.status === 'disabled' && <Tag>{t('counter.disabled')}</Tag>}
          {released && <Tag>{t('counter.released')}</Tag>}
          {account.releaseDueAt && (
            <Tag>{t('counter.releasePending', { date: date(account.releaseDueAt) })}</Tag>
          )}
        </Descriptions.Item>
      </Descriptions>
      {account.releaseDueAt && !account.identityVerifiedAt && (
        <Alert
          type="info"
          showIcon
          title={t('counter.releasePendingHelp', { date: date(account.releaseDueAt) })}
          style={{ marginBottom: 16 }}
        />
      )}
      {!account.identityVerifiedAt && !released && (
        <Form
          form={form}
          name={`verify-${account.id}`}
          layout="vertical"
          onFinish={submit}
          requiredMark="optional"
        >
          <Typography.Paragraph>{t('counter.verifyHelp')}</Typography.Paragraph>
          <Form.Item
            label={t('counter.code')}
            name="code"
            extra={t('counter.codeHelp')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { pattern: CODE_PATTERN, message: t('counter.errors.code_format') },
            ]}
          >
            <Input
              autoComplete="off"
              spellCheck={false}
              maxLength={16}
              style={{
                fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
                maxWidth: 240,
              }}
            />
          </Form.Item>
          <Form.Item
            label={t('counter.note')}
            name="note"
            rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}
          >
            <Input maxLength={200} showCount placeholder={t('counter.notePlaceholder')} />
          </Form.Item>
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={verify.isPending}>
            {t('counter.verify')}
          </Button>
        </Form>
      )}
      {!account.identityVerifiedAt && !released && !account.releaseDueAt && (
        <>
          <Divider />
          <Typography.Paragraph>{t('counter.releaseHint')}</Typography.Paragraph>
          <Button danger onClick={() => setReleasing(true)}>
            {t('counter.release')}
          </Button>
          <ReleaseDialog
            open={releasing}
            account={account}
            identifier={identifier}
            onClose={() => setReleasing(false)}
            onReleased={onReleased}
          />
        </>
      )}
    </Card>
  );
}

/**
 * /console/identity-verification: real-name verification at the counter. The clerk types the full
 * ID number or credit code from the document in hand and sees only the masked account it belongs to.
 */
export default function CounterVerificationPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const lookup = useCounterLookup();
  const explain = useCounterError();
  const [identifier, setIdentifier] = useState('');
  const [accounts, setAccounts] = useState<CounterAccountDto[] | undefined>();
  const [done, setDone] = useState<string>();
  const resultRef = useRef<HTMLDivElement>(null);
  const canLookUp =
    !!me && (me.person.isPlatformAdmin || me.person.roles.some((r) => r.role === 'identity_verifier'));

  const search = async ({ identifier: raw }: { identifier: string }) => {
    const value = raw.replace(/\s+/g, '').toUpperCase();
    setDone(undefined);
    setAccounts(undefined);
    try {
      const result = await lookup.mutateAsync(value);
      setIdentifier(value);
      setAccounts(result.items);
    } catch {
      setAccounts(undefined);
    } finally {
      resultRef.current?.focus();
    }
  };

  return (
    <>
      <PageTitle title={t('counter.title')} />
      <Typography.Paragraph>{t('counter.intro')}</Typography.Paragraph>
      {canLookUp && (
        <Form layout="vertical" onFinish={search} style={{ maxWidth: 480 }}>
          <Form.Item
            label={t('counter.lookupLabel')}
            name="identifier"
            extra={t('counter.lookupHelp')}
            rules={[
              { required: true, whitespace: true, message: t('validation.required') },
              { pattern: /^\s*[0-9A-Za-z]{18}\s*$/, message: t('counter.errors.invalid_identifier') },
            ]}
          >
            <Input autoComplete="off" spellCheck={false} maxLength={32} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={lookup.isPending}>
            {t('counter.lookup')}
          </Button>
        </Form>
      )}
      <div ref={resultRef} tabIndex={-1} aria-live="polite" style={{ marginTop: 24, outline: 'none' }}>
        <ErrorAlert error={lookup.error ? explain(lookup.error) : undefined} />
        {done && <Alert type="success" showIcon title={done} style={{ marginBottom: 16 }} />}
        {accounts && accounts.length === 0 && <Alert type="warning" showIcon title={t('counter.none')} />}
        {accounts && accounts.length > 0 && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Text>{t('counter.found', { count: accounts.length })}</Typography.Text>
            {accounts.map((a) => (
              <AccountCard
                key={a.id}
                account={a}
                identifier={identifier}
                onVerified={(v) => {
                  setAccounts((list) => list?.map((x) => (x.id === v.id ? v : x)));
                  setDone(t('counter.verifiedMessage', { name: v.displayNameMasked }));
                }}
                onReleased={(r) => {
                  setAccounts((list) => list?.map((x) => (x.id === r.id ? r : x)));
                  setDone(
                    t('counter.releasedMessage', {
                      name: r.displayNameMasked,
                      date: r.releaseDueAt ? new Date(r.releaseDueAt).toLocaleDateString() : '',
                    }),
                  );
                }}
              />
            ))}
          </Space>
        )}
      </div>
    </>
  );
}
