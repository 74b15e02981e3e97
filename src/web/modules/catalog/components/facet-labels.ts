import { useTranslation } from 'react-i18next';
import { useLicenses } from '../api.ts';
import type { FilterKey } from '../search-state.ts';
import { facetLabel } from '../text.ts';

const ENUM_KEYS: Partial<Record<FilterKey, string>> = {
  open_type: 'openType',
  share_type: 'shareType',
  update_cycle: 'updateCycle',
  status: 'status',
};

/**
 * How a filter value reads to people: departments and themes by the names the server sends, coded
 * values by their translation, licences by title; formats and keywords are shown as they are.
 */
export function useFilterValueLabel() {
  const { t, i18n } = useTranslation();
  const licenses = useLicenses();
  return (field: FilterKey, value: string, named?: { label: string; labelEn: string }): string => {
    const enumKey = ENUM_KEYS[field];
    if (enumKey) return t(`catalog.enums.${enumKey}.${value}`, { defaultValue: value });
    if (field === 'license') return licenses.data?.find((l) => l.id === value)?.title ?? value;
    if (named) return facetLabel(named, i18n.language);
    return value;
  };
}
