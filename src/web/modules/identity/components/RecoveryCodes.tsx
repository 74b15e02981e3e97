import { Alert, Button, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** Recovery codes, shown this one time: the person must store them before leaving. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert
        type="warning"
        showIcon
        role="alert"
        title={t('mfa.codesTitle')}
        description={t('mfa.codesHelp')}
        style={{ marginBottom: 16 }}
      />
      <Typography.Paragraph
        copyable={{ text: codes.join('\n'), tooltips: [t('common.copy'), t('common.copied')] }}
      >
        {t('mfa.copyAll')}
      </Typography.Paragraph>
      <ul
        aria-label={t('mfa.codesTitle')}
        style={{ columns: 2, fontFamily: 'monospace', fontSize: 15, paddingLeft: 20 }}
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <Button type="primary" onClick={onDone}>
        {t('mfa.codesSaved')}
      </Button>
    </>
  );
}
