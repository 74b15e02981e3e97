import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useThemes } from '../../api.ts';
import { SearchView } from '../../components/SearchView.tsx';
import { nameOf } from '../../text.ts';
import '../../catalog.css';

/** /data/themes/:id: the open resources of one theme (and its sub-themes). */
export default function ThemePage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const themes = useThemes();
  const theme = themes.data?.find((x) => x.id === id);
  const name = theme ? nameOf(theme, i18n.language) : id;
  return (
    <>
      <PageTitle title={t('catalog.portal.themeTitle', { name })} />
      <Typography.Paragraph type="secondary">{t('catalog.portal.themeIntro', { name })}</Typography.Paragraph>
      <SearchView fixed={{ field: 'theme', value: id }} />
    </>
  );
}
