import { FilterOutlined } from '@ant-design/icons';
import { Button, Input, Select, Table, type TableColumnsType, type TableProps } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DictionaryColumn } from '../../../../contracts/datastore.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useRows } from '../api.ts';
import { booleanKey, columnLabel, type RowsParams } from '../query.ts';
import { useCaption } from './caption.tsx';
import { DownloadButtons } from './DownloadButtons.tsx';

type Row = Record<string, unknown>;
const PAGE_SIZE = 20;

/** A cell as text: empty values marked as such, yes/no in the reader's language, nested values (GeoJSON geometry) as JSON. */
function Cell({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined)
    return <span className="datastore-null">{t('datastore.portal.nullValue')}</span>;
  const yesNo = booleanKey(value);
  const text = yesNo ? t(yesNo) : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return <span className="datastore-cell">{text}</span>;
}

/**
 * A table's rows, 20 at a time, paged, sorted and filtered by the server (datastore_search): a search
 * over all columns, and one column equal to a value. Clicking a column header sorts by it. The
 * downloads below it give these rows (every page of them) or the whole table.
 */
export function PreviewTable({
  distributionId,
  name,
  columns,
}: {
  distributionId: string;
  name: string;
  columns: DictionaryColumn[];
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [params, setParams] = useState<RowsParams>({ limit: PAGE_SIZE, offset: 0 });
  const [search, setSearch] = useState('');
  const [filterColumn, setFilterColumn] = useState<string>();
  const [filterValue, setFilterValue] = useState('');
  const rows = useRows(distributionId, params);
  const page = Math.floor(params.offset / PAGE_SIZE) + 1;
  const caption = useCaption<Row>(t('datastore.portal.tableCaption', { name, page }));
  const filterIsBoolean = columns.find((c) => c.id === filterColumn)?.type === 'boolean';

  const tableColumns: TableColumnsType<Row> = columns.map((c) => ({
    title: columnLabel(c, i18n.language),
    dataIndex: c.id,
    key: c.id,
    sorter: true,
    sortOrder: params.sort?.column === c.id ? (params.sort.desc ? 'descend' : 'ascend') : null,
    align: c.type === 'integer' || c.type === 'bigint' || c.type === 'numeric' ? 'right' : undefined,
    render: (value: unknown) => <Cell value={value} />,
  }));

  const onChange: TableProps<Row>['onChange'] = (pagination, _filters, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const column = s?.order ? String(s.columnKey) : undefined;
    const sort = column ? { column, desc: s?.order === 'descend' } : undefined;
    const sortChanged = sort?.column !== params.sort?.column || sort?.desc !== params.sort?.desc;
    setParams((p) => ({
      ...p,
      sort,
      // A new order starts from the first page.
      offset: sortChanged ? 0 : ((pagination.current ?? 1) - 1) * PAGE_SIZE,
    }));
  };

  const applyFilter = () =>
    setParams((p) => ({
      ...p,
      offset: 0,
      filter:
        filterColumn && filterValue.trim() ? { column: filterColumn, value: filterValue.trim() } : undefined,
    }));
  const clearFilter = () => {
    setFilterColumn(undefined);
    setFilterValue('');
    setParams((p) => ({ ...p, offset: 0, filter: undefined }));
  };

  return (
    <>
      <search className="datastore-toolbar" aria-label={t('datastore.portal.tableOf', { name })}>
        <div>
          <label htmlFor={`${id}-q`}>{t('datastore.portal.search')}</label>
          <Input.Search
            id={`${id}-q`}
            value={search}
            placeholder={t('datastore.portal.searchPlaceholder')}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(q) => setParams((p) => ({ ...p, offset: 0, q: q.trim() || undefined }))}
            enterButton={t('common.search')}
            maxLength={200}
            allowClear
            style={{ width: 280 }}
          />
        </div>
        <div>
          <label htmlFor={`${id}-column`}>{t('datastore.portal.filterColumn')}</label>
          <Select
            id={`${id}-column`}
            value={filterColumn}
            onChange={(column?: string) => {
              // A yes/no column takes one of two words; a value typed for another column would not fit.
              if ((columns.find((c) => c.id === column)?.type === 'boolean') !== filterIsBoolean)
                setFilterValue('');
              setFilterColumn(column);
            }}
            allowClear
            style={{ width: 200 }}
            options={columns.map((c) => ({ value: c.id, label: columnLabel(c, i18n.language) }))}
          />
        </div>
        <div>
          <label htmlFor={`${id}-value`}>{t('datastore.portal.filterValue')}</label>
          {filterIsBoolean ? (
            <Select
              id={`${id}-value`}
              value={filterValue || undefined}
              onChange={(value?: string) => setFilterValue(value ?? '')}
              style={{ width: 200 }}
              options={(['true', 'false'] as const).map((v) => ({
                value: v,
                label: t(`datastore.enums.boolean.${v}`),
              }))}
            />
          ) : (
            <Input
              id={`${id}-value`}
              value={filterValue}
              onChange={(e) => setFilterValue(e.target.value)}
              onPressEnter={applyFilter}
              maxLength={200}
              style={{ width: 200 }}
              title={t('datastore.portal.filterHint')}
            />
          )}
        </div>
        <Button icon={<FilterOutlined aria-hidden />} onClick={applyFilter} disabled={!filterColumn}>
          {t('datastore.portal.filterApply')}
        </Button>
        {params.filter && <Button onClick={clearFilter}>{t('datastore.portal.filterClear')}</Button>}
      </search>
      <ErrorAlert error={rows.error} />
      <Table<Row>
        rowKey={(r) => String(r._id)}
        size="small"
        columns={tableColumns}
        dataSource={rows.data?.records ?? []}
        loading={rows.isFetching}
        components={caption}
        onChange={onChange}
        showSorterTooltip={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <span className="datastore-empty">{t('datastore.portal.empty')}</span> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: rows.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('common.total', { count: total }),
        }}
      />
      <DownloadButtons distributionId={distributionId} name={name} rows={params} />
    </>
  );
}
