import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { PageTitle } from '../../../ui/PageTitle.tsx';
import { useAllTokens } from '../api.ts';
import { TokenTable } from '../components/TokenTable.tsx';

/** Every API token on the platform, so an admin can revoke a leaked or forgotten one. */
export default function TokensAdminPage() {
  const { t } = useTranslation();
  const tokens = useAllTokens();
  return (
    <>
      <PageTitle title={t('tokens.adminTitle')} />
      <Typography.Paragraph>{t('tokens.adminIntro')}</Typography.Paragraph>
      <ErrorAlert error={tokens.error} />
      <TokenTable tokens={tokens.data ?? []} loading={tokens.isPending} scope="all" />
    </>
  );
}
