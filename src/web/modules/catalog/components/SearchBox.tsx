import { Input } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** The portal's search field: a labelled search landmark that hands the words to `onSearch`. */
export function SearchBox({
  value,
  onSearch,
  size = 'middle',
}: {
  value: string;
  onSearch: (q: string) => void;
  size?: 'middle' | 'large';
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  // Back/forward changes the address; the field follows it.
  useEffect(() => setText(value), [value]);
  return (
    <search aria-label={t('catalog.portal.searchLabel')} className="catalog-searchbox">
      <Input.Search
        aria-label={t('catalog.portal.searchLabel')}
        placeholder={t('catalog.portal.searchPlaceholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onSearch={(q) => onSearch(q.trim())}
        enterButton={t('common.search')}
        size={size}
        maxLength={200}
        allowClear
      />
    </search>
  );
}
