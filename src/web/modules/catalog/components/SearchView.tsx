import { CloseOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Collapse, Empty, Grid, Pagination, Row, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { useCatalogSearch } from '../api.ts';
import { SEARCH_SORTS, type SearchSort } from '../constants.ts';
import {
  changeSearch,
  type FilterKey,
  PAGE_SIZE,
  readSearch,
  type SearchState,
  writeSearch,
} from '../search-state.ts';
import { FacetPanel } from './FacetPanel.tsx';
import { useFilterValueLabel } from './facet-labels.ts';
import { ResultItem } from './ResultItem.tsx';
import { SearchBox } from './SearchBox.tsx';

/**
 * Search with facets, removable filter chips, sort and paging, all kept in the address. `fixed`
 * pins one filter (a department's or theme's page): it is applied but neither shown nor removable.
 */
export function SearchView({ fixed }: { fixed?: { field: FilterKey; value: string } }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = readSearch(params);
  const label = useFilterValueLabel();
  const screens = Grid.useBreakpoint();
  const narrow = screens.lg === false;
  const filters = fixed ? { ...state.filters, [fixed.field]: fixed.value } : state.filters;
  const search = useCatalogSearch({
    q: state.q || undefined,
    ...filters,
    sort: state.sort,
    page: state.page,
    pageSize: PAGE_SIZE,
  });
  const go = (next: SearchState) => setParams(writeSearch(next));
  const data = search.data;
  const chips = (Object.entries(state.filters) as [FilterKey, string][]).filter(([k]) => k !== fixed?.field);
  const named = (field: FilterKey, value: string) => data?.facets[field]?.find((f) => f.value === value);

  const facets = data ? (
    <FacetPanel facets={data.facets} state={state} hidden={fixed ? [fixed.field] : []} />
  ) : null;

  return (
    <>
      <SearchBox value={state.q} onSearch={(q) => go(changeSearch(state, { q }))} />
      {chips.length > 0 && (
        <section aria-label={t('catalog.search.activeFilters')} className="catalog-chips">
          {chips.map(([field, value]) => {
            const text = `${t(`catalog.enums.facet.${field}`)}: ${label(field, value, named(field, value))}`;
            return (
              <Button
                key={field}
                size="small"
                icon={<CloseOutlined aria-hidden />}
                iconPlacement="end"
                aria-label={t('catalog.search.removeFilter', { filter: text })}
                onClick={() => go(changeSearch(state, { set: { [field]: undefined } }))}
              >
                {text}
              </Button>
            );
          })}
          <Button size="small" type="link" onClick={() => go({ ...state, filters: {}, page: 1 })}>
            {t('catalog.search.clearFilters')}
          </Button>
        </section>
      )}
      <Row gutter={[24, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={7} xl={6}>
          {narrow
            ? facets && (
                <Collapse
                  size="small"
                  items={[{ key: 'facets', label: t('catalog.search.showFilters'), children: facets }]}
                />
              )
            : facets}
        </Col>
        <Col xs={24} lg={17} xl={18}>
          <div className="catalog-results-head">
            <Typography.Text role="status">
              {data ? t('catalog.search.results', { count: data.total }) : ''}
            </Typography.Text>
            <Space>
              <label htmlFor="catalog-sort">{t('catalog.search.sort')}</label>
              <Select<SearchSort>
                id="catalog-sort"
                style={{ width: 140 }}
                value={state.sort ?? (state.q ? 'relevance' : 'modified')}
                onChange={(sort) => go(changeSearch(state, { sort }))}
                options={SEARCH_SORTS.map((s) => ({ value: s, label: t(`catalog.enums.sort.${s}`) }))}
              />
            </Space>
          </div>
          <ErrorAlert error={search.error} />
          {data?.matchedBy === 'trigram' && data.total > 0 && (
            <Alert type="info" showIcon title={t('catalog.search.similar')} style={{ marginBottom: 12 }} />
          )}
          {search.isPending && <Loading />}
          {data && data.results.length === 0 && <Empty description={t('catalog.search.noResults')} />}
          <h2 className="visually-hidden">{t('catalog.search.resultsHeading')}</h2>
          {data && data.results.length > 0 && (
            <ol className="catalog-result-list" aria-busy={search.isFetching}>
              {data.results.map((item) => (
                <li key={item.id}>
                  <ResultItem item={item} />
                </li>
              ))}
            </ol>
          )}
          {data && data.total > PAGE_SIZE && (
            <nav aria-label={t('catalog.search.pages')}>
              <Pagination
                current={state.page}
                pageSize={PAGE_SIZE}
                total={data.total}
                showSizeChanger={false}
                onChange={(page) => go(changeSearch(state, { page }))}
                style={{ marginTop: 16, textAlign: 'center' }}
              />
            </nav>
          )}
        </Col>
      </Row>
    </>
  );
}
