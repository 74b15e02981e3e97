import { Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { VisuallyHidden } from './VisuallyHidden.tsx';

/** A centred spinner announced to screen readers while data or code loads. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <div role="status" style={{ display: 'flex', justifyContent: 'center', padding: 48 }}>
      <Spin aria-hidden />
      <VisuallyHidden>{t('common.loading')}</VisuallyHidden>
    </div>
  );
}
