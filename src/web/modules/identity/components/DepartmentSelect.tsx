import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useDepartments } from '../api.ts';
import { buildDepartmentTree, type DepartmentNode, departmentName } from '../department-tree.ts';

interface Option {
  value: string;
  title: string;
  disabled: boolean;
  children?: Option[];
}

/**
 * Picks a department from the tree. `allowed` limits the choice (a department admin acts only in
 * their own departments); the others stay visible as context but cannot be chosen.
 */
export function DepartmentSelect({
  value,
  onChange,
  allowed,
  placeholder,
  allowClear = false,
  id,
  'aria-label': ariaLabel,
  style,
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  allowed?: readonly string[];
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  'aria-label'?: string;
  style?: React.CSSProperties;
}) {
  const { i18n } = useTranslation();
  const departments = useDepartments();
  const treeData = useMemo(() => {
    const allow = allowed ? new Set(allowed) : undefined;
    const toOption = (n: DepartmentNode): Option => ({
      value: n.id,
      title: `${departmentName(n, i18n.language)} (${n.code})`,
      disabled: (allow ? !allow.has(n.id) : false) || !n.active,
      children: n.children?.map(toOption),
    });
    return buildDepartmentTree(departments.data ?? []).map(toOption);
  }, [departments.data, allowed, i18n.language]);
  return (
    <TreeSelect
      id={id}
      aria-label={ariaLabel}
      value={value}
      onChange={(v: string | undefined) => onChange?.(v)}
      treeData={treeData}
      loading={departments.isPending}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      allowClear={allowClear}
      placeholder={placeholder}
      style={style}
      popupMatchSelectWidth={false}
    />
  );
}
