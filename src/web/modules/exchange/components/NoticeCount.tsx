import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import { VisuallyHidden } from '../../../ui/VisuallyHidden.tsx';
import { useNotices } from '../api.ts';

/** The number of open reminders and escalations, for the console navigation (nothing when there are none). */
export function NoticeCount() {
  const { t } = useTranslation();
  const notices = useNotices();
  const count = notices.data?.length ?? 0;
  if (count === 0) return null;
  // The badge is a picture of the number; screen readers get it as words.
  return (
    <>
      <span aria-hidden="true">
        <Badge count={count} size="small" style={{ marginInlineStart: 8 }} />
      </span>
      <VisuallyHidden>{t('exchange.notices.badge', { count })}</VisuallyHidden>
    </>
  );
}
