import { Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonDto } from '../../../../contracts/identity.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { useUpdatePerson } from '../api.ts';
import { emailRule } from '../validation.ts';

/** Changes a person's display name and e-mail address. */
export function EditPersonModal({
  open,
  person,
  onClose,
}: {
  open: boolean;
  person: PersonDto | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ displayName: string; email?: string }>();
  const update = useUpdatePerson();
  const [error, setError] = useState<unknown>();

  const submit = async (values: { displayName: string; email?: string }) => {
    if (!person) return;
    setError(undefined);
    try {
      await update.mutateAsync({
        id: person.id,
        displayName: values.displayName.trim(),
        email: values.email?.trim() || null,
      });
      onClose();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  return (
    <FormModal
      open={open}
      title={t('people.editTitle', { name: person?.username ?? '' })}
      okText={t('common.save')}
      busy={update.isPending}
      error={error}
      form={form}
      onClose={onClose}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{ displayName: person?.displayName, email: person?.email ?? undefined }}
      >
        <Form.Item
          label={t('fields.displayName')}
          name="displayName"
          rules={[{ required: true, message: t('validation.required') }, { max: 100 }]}
        >
          <Input />
        </Form.Item>
        <Form.Item label={t('fields.email')} name="email" rules={[emailRule(t)]}>
          <Input type="email" />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
