import { Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonDto } from '../../../../contracts/identity.ts';
import { ApiError } from '../../../app/api.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { useRevokeIdentity, useVerifyIdentity } from '../api.ts';

/** The identity codes this dialog can meet, translated here (identity.<code> → people.identity.errors.<code>). */
const KNOWN = new Set(['already_verified', 'not_verified', 'not_verifiable']);

/**
 * Records a resident's or business's real-name verification with how it was checked, or withdraws one
 * made in error with the reason. Both are audited on the server.
 */
export function IdentityVerificationModal({
  open,
  person,
  mode,
  onClose,
  onDone,
}: {
  open: boolean;
  person: PersonDto | undefined;
  mode: 'verify' | 'revoke';
  onClose: () => void;
  onDone: (person: PersonDto) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Record<string, string>>();
  const verify = useVerifyIdentity();
  const revoke = useRevokeIdentity();
  const [error, setError] = useState<unknown>();
  const field = mode === 'verify' ? 'note' : 'reason';

  const submit = async (values: Record<string, string>) => {
    if (!person) return;
    setError(undefined);
    try {
      const value = (values[field] ?? '').trim();
      await (mode === 'verify'
        ? verify.mutateAsync({ id: person.id, note: value })
        : revoke.mutateAsync({ id: person.id, reason: value }));
      onDone(person);
      onClose();
    } catch (err) {
      const code = err instanceof ApiError ? err.code.replace(/^identity\./, '') : '';
      if (KNOWN.has(code)) setError(new Error(t(`people.identity.errors.${code}`)));
      else if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  const name = person?.displayName ?? '';
  const identifier = person?.residentIdMasked ?? person?.usccMasked ?? '—';
  return (
    <FormModal
      open={open}
      title={t(mode === 'verify' ? 'people.identity.verifyTitle' : 'people.identity.revokeTitle', { name })}
      okText={t(mode === 'verify' ? 'people.identity.verify' : 'people.identity.revoke')}
      busy={verify.isPending || revoke.isPending}
      error={error}
      form={form}
      onClose={onClose}
      intro={
        <Typography.Paragraph>
          {mode === 'verify'
            ? t('people.identity.verifyHelp', { identifier })
            : t('people.identity.revokeHelp')}
        </Typography.Paragraph>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          label={t(mode === 'verify' ? 'people.identity.note' : 'people.identity.reason')}
          name={field}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 200 }]}
        >
          <Input
            maxLength={200}
            showCount
            placeholder={mode === 'verify' ? t('people.identity.notePlaceholder') : undefined}
          />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
