import { PlusOutlined } from '@ant-design/icons';
import { Input, Select, Space, Table, type TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { SearchResultDto } from '../../../../../contracts/catalog.ts';
import { useMe } from '../../../../app/auth.ts';
import { ButtonLink } from '../../../../ui/ButtonLink.tsx';
import { ErrorAlert } from '../../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useDepartments } from '../../../identity/api.ts';
import { DepartmentSelect } from '../../../identity/components/DepartmentSelect.tsx';
import { useCatalogSearch } from '../../api.ts';
import { OpenTag, OverdueTag, ShareTag, StatusTag } from '../../components/tags.tsx';
import { DATASET_STATUSES, OPEN_TYPES, SHARE_TYPES, UPDATE_CYCLES } from '../../constants.ts';
import { departmentsWithRole } from '../../permissions.ts';
import { changeSearch, type FilterKey, readSearch, writeSearch } from '../../search-state.ts';
import { formatDateTime, titleOf } from '../../text.ts';
import '../../catalog.css';

type Row = SearchResultDto['results'][number];
const PAGE_SIZE = 20;
const ALL_ROLES = ['dept_admin', 'data_steward', 'case_handler', 'reviewer', 'auditor'] as const;

/** The department catalog: every resource the person may see, drafts of their departments included. */
export default function CatalogListPage() {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const departments = useDepartments();
  const [params, setParams] = useSearchParams();
  const state = readSearch(params);
  const [q, setQ] = useState(state.q);
  useEffect(() => setQ(state.q), [state.q]);
  const search = useCatalogSearch({
    q: state.q || undefined,
    ...state.filters,
    sort: state.sort ?? (state.q ? 'relevance' : 'modified'),
    page: state.page,
    pageSize: PAGE_SIZE,
    includePrivate: true,
  });
  const person = me?.person;
  const depts = departments.data ?? [];
  const mine = useMemo(
    () => (person && !person.isPlatformAdmin ? departmentsWithRole(person, ALL_ROLES, depts) : undefined),
    [person, depts],
  );
  const stewardOf = useMemo(
    () => (person ? departmentsWithRole(person, ['data_steward'], depts) : []),
    [person, depts],
  );
  const set = (key: FilterKey, value: string | undefined) =>
    setParams(writeSearch(changeSearch(state, { set: { [key]: value } })));
  const deptId = depts.find((d) => d.code === state.filters.department)?.id;

  const enumFilter = (
    key: FilterKey,
    family: string,
    values: readonly string[],
    label: string,
    all: string,
  ) => (
    <Select<string | undefined>
      aria-label={label}
      placeholder={all}
      allowClear
      style={{ width: 150 }}
      value={state.filters[key]}
      onChange={(v) => set(key, v)}
      options={values.map((v) => ({ value: v, label: t(`catalog.enums.${family}.${v}`) }))}
    />
  );

  const columns: TableColumnsType<Row> = [
    {
      title: t('catalog.fields.title'),
      key: 'title',
      render: (_: unknown, r) => <Link to={`/console/catalog/${r.id}`}>{titleOf(r, i18n.language)}</Link>,
    },
    {
      title: t('catalog.fields.resourceCode'),
      dataIndex: 'resourceCode',
      key: 'code',
      render: (c: string) => <code>{c}</code>,
    },
    { title: t('common.status'), key: 'status', render: (_: unknown, r) => <StatusTag status={r.status} /> },
    {
      title: t('catalog.console.openShare'),
      key: 'openShare',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          <OpenTag value={r.openType} />
          <ShareTag value={r.shareType} />
        </Space>
      ),
    },
    {
      title: t('catalog.fields.updateCycle'),
      key: 'cycle',
      render: (_: unknown, r) => (
        <Space size={4} wrap>
          {t(`catalog.enums.updateCycle.${r.updateCycle}`)}
          <OverdueTag overdue={r.overdue} />
        </Space>
      ),
    },
    {
      title: t('catalog.fields.modifiedAt'),
      dataIndex: 'modifiedAt',
      key: 'modified',
      render: (v: string) => formatDateTime(v, i18n.language),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('catalog.console.title')}
        extra={
          stewardOf.length > 0 && (
            <ButtonLink to="/console/catalog/new" type="primary" icon={<PlusOutlined aria-hidden />}>
              {t('catalog.console.create')}
            </ButtonLink>
          )
        }
      />
      <search aria-label={t('catalog.console.filters')} className="catalog-console-search">
        <Space wrap style={{ marginBottom: 16 }}>
          <Input.Search
            aria-label={t('catalog.console.search')}
            placeholder={t('catalog.console.searchPlaceholder')}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            onSearch={(v) => setParams(writeSearch(changeSearch(state, { q: v.trim() })))}
            enterButton={t('common.search')}
            allowClear
            style={{ width: 280 }}
          />
          <DepartmentSelect
            aria-label={t('fields.department')}
            placeholder={t('catalog.console.allDepartments')}
            allowed={mine}
            allowClear
            value={deptId}
            onChange={(id) => set('department', depts.find((d) => d.id === id)?.code)}
            style={{ width: 240 }}
          />
          {enumFilter(
            'status',
            'status',
            DATASET_STATUSES,
            t('common.status'),
            t('catalog.console.allStatuses'),
          )}
          {enumFilter(
            'open_type',
            'openType',
            OPEN_TYPES,
            t('catalog.fields.openType'),
            t('catalog.console.anyOpen'),
          )}
          {enumFilter(
            'share_type',
            'shareType',
            SHARE_TYPES,
            t('catalog.fields.shareType'),
            t('catalog.console.anyShare'),
          )}
          {enumFilter(
            'update_cycle',
            'updateCycle',
            UPDATE_CYCLES,
            t('catalog.fields.updateCycle'),
            t('catalog.console.anyCycle'),
          )}
        </Space>
      </search>
      <ErrorAlert error={search.error} />
      <Table<Row>
        rowKey="id"
        columns={columns}
        dataSource={search.data?.results ?? []}
        loading={search.isFetching}
        scroll={{ x: 'max-content' }}
        size="middle"
        locale={{ emptyText: t('catalog.search.noResults') }}
        pagination={{
          current: state.page,
          pageSize: PAGE_SIZE,
          total: search.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (page) => setParams(writeSearch(changeSearch(state, { page }))),
        }}
      />
    </>
  );
}
