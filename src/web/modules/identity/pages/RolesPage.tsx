import { DeleteOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Empty,
  Form,
  Popconfirm,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DepartmentRoleName, PersonDto, RoleAssignmentDto } from '../../../../contracts/identity.ts';
import { useMe } from '../../../app/auth.ts';
import { applyFieldErrors, useErrorText } from '../../../app/errors.ts';
import { adminDepartmentIds } from '../../../app/permissions.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useAssignRole, usePeople, useRemoveRole } from '../api.ts';
import { DepartmentSelect } from '../components/DepartmentSelect.tsx';
import { PersonPicker } from '../components/PersonPicker.tsx';
import { DEPARTMENT_ROLES } from '../constants.ts';

interface Row extends RoleAssignmentDto {
  person: PersonDto;
}

/** Assigns a role in the department to a staff member. */
function AssignForm({ departmentId }: { departmentId: string }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ personId: string; role: DepartmentRoleName }>();
  const assign = useAssignRole();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>();
  const submit = async (values: { personId: string; role: DepartmentRoleName }) => {
    setError(undefined);
    try {
      await assign.mutateAsync({ ...values, departmentId });
      message.success(t('roles.assigned'));
      form.resetFields();
    } catch (err) {
      if (
        !applyFieldErrors(t, form, err, { 'identity.role_exists': 'role', 'identity.not_staff': 'personId' })
      )
        setError(err);
    }
  };
  const required = { required: true, message: t('validation.required') };
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {t('roles.assignTitle')}
        </Typography.Title>
      }
      style={{ marginBottom: 16 }}
    >
      <ErrorAlert error={error} />
      <Form form={form} layout="inline" onFinish={submit} style={{ rowGap: 8 }}>
        <Form.Item label={t('roles.person')} name="personId" rules={[required]}>
          <PersonPicker />
        </Form.Item>
        <Form.Item label={t('roles.role')} name="role" rules={[required]}>
          <Select
            style={{ width: 180 }}
            options={DEPARTMENT_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            placeholder={t('roles.pickRole')}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={assign.isPending}>
          {t('roles.assign')}
        </Button>
      </Form>
    </Card>
  );
}

/** Who holds which role in a department; assign and remove. */
export default function RolesPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const allowed = me && !me.person.isPlatformAdmin ? adminDepartmentIds(me.person) : undefined;
  const [departmentId, setDepartmentId] = useState<string | undefined>(allowed?.[0]);
  const people = usePeople({ departmentId, kind: 'staff', limit: 200, offset: 0 });
  const remove = useRemoveRole();

  const rows = useMemo<Row[]>(
    () =>
      (departmentId ? (people.data?.items ?? []) : []).flatMap((person) =>
        person.roles.filter((r) => r.departmentId === departmentId).map((r) => ({ ...r, person })),
      ),
    [people.data, departmentId],
  );

  const columns: TableColumnsType<Row> = [
    {
      title: t('roles.person'),
      key: 'person',
      render: (_: unknown, r) => `${r.person.displayName} (${r.person.username})`,
    },
    {
      title: t('roles.role'),
      dataIndex: 'role',
      key: 'role',
      render: (role: DepartmentRoleName) => t(`roles.${role}`),
    },
    {
      title: t('roles.since'),
      dataIndex: 'createdAt',
      key: 'createdAt',
      render: (v: string) => new Date(v).toLocaleDateString(),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, r) => (
        <Popconfirm
          title={t('roles.removeConfirm', { role: t(`roles.${r.role}`), name: r.person.displayName })}
          okText={t('roles.remove')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={async () => {
            try {
              await remove.mutateAsync(r.id);
              message.success(t('roles.removed'));
            } catch (err) {
              message.error(errorText(err));
            }
          }}
        >
          <Button size="small" danger icon={<DeleteOutlined aria-hidden />}>
            {t('roles.remove')}
          </Button>
        </Popconfirm>
      ),
    },
  ];

  return (
    <>
      <PageTitle title={t('roles.title')} />
      <Form layout="vertical" style={{ maxWidth: 420 }}>
        <Form.Item label={t('fields.department')} htmlFor="roles-department">
          <DepartmentSelect
            id="roles-department"
            allowed={allowed}
            value={departmentId}
            onChange={setDepartmentId}
            placeholder={t('roles.pickDepartment')}
          />
        </Form.Item>
      </Form>
      {departmentId ? (
        <>
          <AssignForm departmentId={departmentId} />
          <ErrorAlert error={people.error} />
          <Table<Row>
            rowKey="id"
            columns={columns}
            dataSource={rows}
            loading={people.isFetching}
            pagination={false}
            size="middle"
            scroll={{ x: 'max-content' }}
          />
        </>
      ) : (
        <Empty description={t('roles.pickDepartmentFirst')} />
      )}
    </>
  );
}
