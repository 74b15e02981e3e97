import { Form, Input, Switch, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DepartmentDto } from '../../../../contracts/identity.ts';
import { applyFieldErrors } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { useSaveDepartment } from '../api.ts';
import {
  buildDepartmentTree,
  type DepartmentNode,
  departmentName,
  descendantIds,
} from '../department-tree.ts';
import { departmentCodeRules, regionCodeRule } from '../validation.ts';

interface Values {
  code: string;
  nameZh: string;
  nameEn: string;
  parentId?: string | null;
  regionCode?: string;
  active: boolean;
}

const CODE_FIELDS = {
  'identity.department_code_taken': 'code',
  'identity.invalid_parent': 'parentId',
};

interface TreeOption {
  value: string;
  title: string;
  disabled: boolean;
  children?: TreeOption[];
}

/** Creates a department or edits one (`department` given). The code is fixed once created. Render with useDialog's key. */
export function DepartmentFormModal({
  open,
  department,
  departments,
  onClose,
}: {
  open: boolean;
  department: DepartmentDto | undefined;
  departments: DepartmentDto[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const save = useSaveDepartment();
  const [error, setError] = useState<unknown>();

  // A department cannot move under itself or its own sub-departments.
  const parentOptions = useMemo(() => {
    const excluded = department ? descendantIds(departments, department.id) : new Set<string>();
    const toOption = (n: DepartmentNode): TreeOption => ({
      value: n.id,
      title: `${departmentName(n, i18n.language)} (${n.code})`,
      disabled: excluded.has(n.id),
      children: n.children?.map(toOption),
    });
    return buildDepartmentTree(departments).map(toOption);
  }, [departments, department, i18n.language]);

  const submit = async (values: Values) => {
    setError(undefined);
    const common = {
      nameZh: values.nameZh.trim(),
      nameEn: values.nameEn.trim(),
      parentId: values.parentId ?? null,
      regionCode: values.regionCode?.trim() || null,
    };
    try {
      if (department) await save.mutateAsync({ id: department.id, ...common, active: values.active });
      else await save.mutateAsync({ code: values.code.trim(), ...common });
      onClose();
    } catch (err) {
      if (!applyFieldErrors(t, form, err, CODE_FIELDS)) setError(err);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <FormModal
      open={open}
      title={
        department ? t('departments.editTitle', { code: department.code }) : t('departments.createTitle')
      }
      okText={t('common.save')}
      busy={save.isPending}
      error={error}
      form={form}
      onClose={onClose}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          department ? { ...department, regionCode: department.regionCode ?? undefined } : { active: true }
        }
      >
        <Form.Item
          label={t('departments.code')}
          name="code"
          rules={department ? [] : departmentCodeRules(t)}
          extra={t('departments.codeHelp')}
          normalize={(value?: string) => value?.toUpperCase()}
        >
          <Input disabled={!!department} spellCheck={false} />
        </Form.Item>
        <Form.Item label={t('departments.nameZh')} name="nameZh" rules={[required, { max: 200 }]}>
          <Input lang="zh-CN" />
        </Form.Item>
        <Form.Item label={t('departments.nameEn')} name="nameEn" rules={[required, { max: 200 }]}>
          <Input lang="en" />
        </Form.Item>
        <Form.Item label={t('departments.parent')} name="parentId" extra={t('departments.parentHelp')}>
          <TreeSelect
            treeData={parentOptions}
            allowClear
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll
            placeholder={t('departments.noParent')}
          />
        </Form.Item>
        <Form.Item
          label={t('departments.regionCode')}
          name="regionCode"
          rules={[regionCodeRule(t)]}
          extra={t('departments.regionHelp')}
        >
          <Input inputMode="numeric" maxLength={6} />
        </Form.Item>
        {department && (
          <Form.Item label={t('departments.active')} name="active" valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </FormModal>
  );
}
