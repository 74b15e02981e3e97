import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Table, type TableColumnsType, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DepartmentDto } from '../../../../contracts/identity.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useDialog } from '../../../ui/useDialog.ts';
import { useDepartments } from '../api.ts';
import { DepartmentFormModal } from '../components/DepartmentFormModal.tsx';
import { buildDepartmentTree, type DepartmentNode } from '../department-tree.ts';

/** The department tree: codes, names in both languages, region codes; create and edit. */
export default function DepartmentsPage() {
  const { t } = useTranslation();
  const departments = useDepartments();
  const editing = useDialog<DepartmentDto>();
  const tree = useMemo(() => buildDepartmentTree(departments.data ?? []), [departments.data]);
  // Everything starts expanded and stays so, new sub-departments included, unless collapsed by hand.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const expandedRowKeys = useMemo(
    () =>
      (departments.data ?? [])
        .map((d) => d.parentId)
        .filter((id): id is string => !!id && !collapsed.has(id)),
    [departments.data, collapsed],
  );

  const columns: TableColumnsType<DepartmentNode> = [
    { title: t('departments.code'), dataIndex: 'code', key: 'code' },
    {
      title: t('departments.nameZh'),
      dataIndex: 'nameZh',
      key: 'nameZh',
      render: (v: string) => <span lang="zh-CN">{v}</span>,
    },
    {
      title: t('departments.nameEn'),
      dataIndex: 'nameEn',
      key: 'nameEn',
      render: (v: string) => <span lang="en">{v}</span>,
    },
    {
      title: t('departments.regionCode'),
      dataIndex: 'regionCode',
      key: 'regionCode',
      render: (v: string | null) => v ?? '—',
    },
    {
      title: t('departments.active'),
      dataIndex: 'active',
      key: 'active',
      render: (active: boolean) =>
        active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, d) => (
        <Button
          size="small"
          icon={<EditOutlined aria-hidden />}
          aria-label={t('departments.editLabel', { code: d.code })}
          onClick={() => editing.show(d)}
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('departments.title')}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => editing.show()}>
            {t('departments.create')}
          </Button>
        }
      />
      <ErrorAlert error={departments.error} />
      {departments.data && (
        <Table<DepartmentNode>
          rowKey="id"
          columns={columns}
          dataSource={tree}
          pagination={false}
          expandable={{
            expandedRowKeys,
            onExpand: (expanded, record) =>
              setCollapsed((prev) => {
                const next = new Set(prev);
                if (expanded) next.delete(record.id);
                else next.add(record.id);
                return next;
              }),
          }}
          scroll={{ x: 'max-content' }}
          size="middle"
        />
      )}
      {departments.isPending && <Table loading columns={columns} dataSource={[]} pagination={false} />}
      <DepartmentFormModal
        key={editing.key}
        open={editing.open}
        department={editing.value}
        departments={departments.data ?? []}
        onClose={editing.hide}
      />
    </>
  );
}
