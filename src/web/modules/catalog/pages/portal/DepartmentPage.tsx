import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageTitle } from '../../../../ui/PageTitle.tsx';
import { useDepartments } from '../../../identity/api.ts';
import { SearchView } from '../../components/SearchView.tsx';
import { nameOf } from '../../text.ts';
import '../../catalog.css';

/** /data/departments/:code: one provider's open resources, searchable like the whole catalog. */
export default function DepartmentPage() {
  const { t, i18n } = useTranslation();
  const { code = '' } = useParams();
  const departments = useDepartments();
  const dept = departments.data?.find((d) => d.code.toLowerCase() === code.toLowerCase());
  const name = dept ? nameOf(dept, i18n.language) : code;
  return (
    <>
      <PageTitle title={t('catalog.portal.departmentTitle', { name })} />
      <Typography.Paragraph type="secondary">
        {t('catalog.portal.departmentIntro', { name })}
      </Typography.Paragraph>
      <SearchView fixed={{ field: 'department', value: code }} />
    </>
  );
}
