import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { DataRequestForm } from '../../components/DataRequestForm.tsx';
import '../../catalog.css';

/** /data/request: ask a department for data the catalog does not (yet) offer. */
export default function RequestDataPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t('catalog.request.title')} />
      <Typography.Paragraph style={{ maxWidth: 760 }}>{t('catalog.request.intro')}</Typography.Paragraph>
      <DataRequestForm />
    </>
  );
}
