import { useTranslation } from 'react-i18next';

/** First stop of the Tab key: jump past the header straight to the page. */
export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="skip-link" href="#main">
      {t('nav.skip')}
    </a>
  );
}
