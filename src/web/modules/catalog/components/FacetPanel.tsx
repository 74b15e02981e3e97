import { Button, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SearchResultDto } from '../../../../contracts/catalog.ts';
import { PORTAL_FACETS } from '../constants.ts';
import { changeSearch, type FilterKey, type SearchState, writeSearch } from '../search-state.ts';
import { useFilterValueLabel } from './facet-labels.ts';

const SHOWN = 6;

/**
 * Counts per department, theme, format… for the current search. Each value is a link that adds
 * the filter, so the address keeps it and back undoes it; the chosen value is marked as current.
 */
export function FacetPanel({
  facets,
  state,
  hidden = [],
}: {
  facets: SearchResultDto['facets'];
  state: SearchState;
  hidden?: readonly FilterKey[];
}) {
  const { t } = useTranslation();
  const label = useFilterValueLabel();
  const [expanded, setExpanded] = useState<Partial<Record<FilterKey, boolean>>>({});
  const fields = PORTAL_FACETS.filter((f) => !hidden.includes(f) && (facets[f]?.length ?? 0) > 0);
  if (fields.length === 0) return null;
  return (
    <nav aria-label={t('catalog.search.facets')} className="catalog-facets">
      {fields.map((field) => {
        const values = facets[field] ?? [];
        const open = expanded[field] ?? false;
        const shown = open ? values : values.slice(0, SHOWN);
        const headingId = `facet-${field}`;
        return (
          <section key={field} aria-labelledby={headingId} className="catalog-facet">
            <Typography.Title level={2} id={headingId} style={{ fontSize: 15, margin: '0 0 8px' }}>
              {t(`catalog.enums.facet.${field}`)}
            </Typography.Title>
            <ul>
              {shown.map((f) => {
                const current = state.filters[field] === f.value;
                const next = changeSearch(state, { set: { [field]: current ? undefined : f.value } });
                return (
                  <li key={f.value}>
                    <Link
                      to={{ search: `?${writeSearch(next).toString()}` }}
                      aria-current={current ? 'true' : undefined}
                      className={current ? 'current' : undefined}
                    >
                      <span className="facet-label">{label(field, f.value, f)}</span>
                      <span className="facet-count">{f.count}</span>
                    </Link>
                  </li>
                );
              })}
            </ul>
            {values.length > SHOWN && (
              <Button
                type="link"
                size="small"
                style={{ paddingInline: 0 }}
                onClick={() => setExpanded((e) => ({ ...e, [field]: !open }))}
                aria-expanded={open}
              >
                {open
                  ? t('catalog.search.fewer')
                  : t('catalog.search.more', { count: values.length - SHOWN })}
              </Button>
            )}
          </section>
        );
      })}
    </nav>
  );
}
