import { useTranslation } from 'react-i18next';
import { nameOf } from '../../catalog/text.ts';
import { useDepartments } from '../../identity/api.ts';

/** A function naming a department by id in the interface language (the id itself while loading). */
export function useDepartmentName() {
  const { i18n } = useTranslation();
  const departments = useDepartments();
  const byId = new Map((departments.data ?? []).map((d) => [d.id, d]));
  return (id: string | null | undefined) => {
    if (!id) return '—';
    const d = byId.get(id);
    return d ? nameOf(d, i18n.language) : id;
  };
}
