import { Select } from 'antd';
import { useDeferredValue, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../api.ts';

/** Finds a staff member by name or username as the admin types (server-side search). */
export function PersonPicker({
  value,
  onChange,
  id,
  'aria-label': ariaLabel,
}: {
  value?: string;
  onChange?: (personId: string | undefined) => void;
  id?: string;
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const q = useDeferredValue(text.trim());
  const people = usePeople({ q: q || undefined, kind: 'staff', limit: 20, offset: 0 });
  return (
    <Select<string>
      id={id}
      aria-label={ariaLabel}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value}
      onChange={(v) => onChange?.(v)}
      placeholder={t('roles.pickPerson')}
      loading={people.isFetching}
      notFoundContent={people.isFetching ? t('common.loading') : t('common.noMatch')}
      options={(people.data?.items ?? []).map((p) => ({
        value: p.id,
        label: `${p.displayName} (${p.username})`,
      }))}
      style={{ minWidth: 240 }}
      allowClear
    />
  );
}
