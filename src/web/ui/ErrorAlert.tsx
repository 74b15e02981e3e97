import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../app/api.ts';
import { useErrorText } from '../app/errors.ts';

/** A failed request in words people understand, with the request id support needs. */
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={text(error)}
      description={requestId ? t('errors.requestId', { id: requestId }) : undefined}
      style={{ marginBottom: 16, ...style }}
    />
  );
}
