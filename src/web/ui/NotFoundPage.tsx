import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { ButtonLink } from './ButtonLink.tsx';
import { PageTitle } from './PageTitle.tsx';

/** Unknown addresses and sections the person may not open look the same: nothing here. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('notFound.title')} />
      <Result
        status="404"
        subTitle={t('notFound.text')}
        extra={
          <ButtonLink to="/" type="primary">
            {t('notFound.home')}
          </ButtonLink>
        }
      />
    </>
  );
}
