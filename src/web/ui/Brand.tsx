import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** "Civitas · 数字政府": the platform's name, linking home. */
export function Brand({ to = '/' }: { to?: string }) {
  const { t } = useTranslation();
  return (
    <Link
      to={to}
      className="brand"
      aria-label={`${t('common.appName')} · ${t('common.tagline')} — ${t('nav.home')}`}
    >
      <img
        src="/favicon.svg"
        alt=""
        width={28}
        height={28}
        style={{ verticalAlign: 'middle', marginRight: 8 }}
      />
      <span>{t('common.appName')}</span>
      <span className="brand-sub"> · {t('common.tagline')}</span>
    </Link>
  );
}
