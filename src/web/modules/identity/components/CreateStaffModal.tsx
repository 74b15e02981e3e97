import { Checkbox, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DepartmentRoleName } from '../../../../contracts/identity.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { PasswordHints, passwordRule } from '../../../ui/password.tsx';
import { useCreateStaff } from '../api.ts';
import { DEPARTMENT_ROLES } from '../constants.ts';
import { emailRule, usernameRules } from '../validation.ts';
import { DepartmentSelect } from './DepartmentSelect.tsx';

interface Values {
  username: string;
  displayName: string;
  email?: string;
  password: string;
  departmentId: string;
  roles: DepartmentRoleName[];
}

const CODE_FIELDS = {
  'identity.username_taken': 'username',
  'identity.weak_password': 'password',
  'identity.department_not_found': 'departmentId',
  'identity.department_inactive': 'departmentId',
};

/** A new staff account in a department, with its initial password and roles there. Render with useDialog's key. */
export function CreateStaffModal({
  open,
  allowedDepartments,
  onClose,
}: {
  open: boolean;
  /** Departments the current admin may add staff to (undefined: all). */
  allowedDepartments?: readonly string[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const create = useCreateStaff();
  const [error, setError] = useState<unknown>();
  const password: string = Form.useWatch('password', form) ?? '';
  const username: string = Form.useWatch('username', form) ?? '';

  const submit = async (values: Values) => {
    setError(undefined);
    try {
      await create.mutateAsync({
        username: values.username.trim(),
        displayName: values.displayName.trim(),
        ...(values.email ? { email: values.email.trim() } : {}),
        password: values.password,
        departmentId: values.departmentId,
        roles: values.roles ?? [],
      });
      onClose();
    } catch (err) {
      if (!applyFieldErrors(t, form, err, CODE_FIELDS)) setError(err);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <FormModal
      open={open}
      title={t('people.createTitle')}
      okText={t('common.create')}
      busy={create.isPending}
      error={error}
      form={form}
      onClose={onClose}
    >
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ roles: [] }}>
        <Form.Item label={t('fields.username')} name="username" rules={usernameRules(t)}>
          <Input autoComplete="off" autoCapitalize="none" spellCheck={false} />
        </Form.Item>
        <Form.Item label={t('fields.displayName')} name="displayName" rules={[required, { max: 100 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('fields.email')} name="email" rules={[emailRule(t)]} extra={t('common.optional')}>
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('people.initialPassword')}
          name="password"
          dependencies={['username']}
          rules={[required, passwordRule(t, { field: 'username' })]}
          extra={t('people.initialPasswordHelp')}
        >
          <Input.Password autoComplete="new-password" aria-describedby="staff-password-hints" />
        </Form.Item>
        <PasswordHints id="staff-password-hints" password={password} username={username} />
        <Form.Item label={t('fields.department')} name="departmentId" rules={[required]}>
          <DepartmentSelect allowed={allowedDepartments} />
        </Form.Item>
        <Form.Item label={t('fields.roles')} name="roles">
          <Checkbox.Group options={DEPARTMENT_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}
