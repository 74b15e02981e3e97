import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { SearchView } from '../../components/SearchView.tsx';
import '../../catalog.css';

/** /data/search: the whole open catalog, searched and filtered through the address. */
export default function SearchPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('catalog.search.title')} />
      <SearchView />
    </>
  );
}
