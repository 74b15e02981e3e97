import { Alert, Button, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterCodeDto } from '../../../../contracts/identity.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { useCounterCode } from '../api.ts';
import { SectionCard } from './SectionCard.tsx';

/**
 * The one-time code an unverified resident or business shows at the identity-verification counter
 * with their ID card: it proves to the clerk that this account is theirs. The server keeps only a
 * hash, so the code is shown once, here; a new one replaces it.
 */
export function CounterCodeCard() {
  const { t } = useTranslation();
  const make = useCounterCode();
  const [issued, setIssued] = useState<CounterCodeDto>();
  const [now, setNow] = useState(() => Date.now());

  // Tick while a code is shown, so it turns "expired" on time without a reload.
  useEffect(() => {
    if (!issued) return;
    const timer = window.setInterval(() => setNow(Date.now()), 10_000);
    return () => window.clearInterval(timer);
  }, [issued]);

  const get = async () => {
    try {
      setIssued(await make.mutateAsync());
      setNow(Date.now());
    } catch {
      // shown by ErrorAlert below
    }
  };

  const expired = !!issued && Date.parse(issued.expiresAt) <= now;
  const time = issued
    ? new Date(issued.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : '';
  return (
    <SectionCard title={t('profile.counterCode.title')}>
      <Typography.Paragraph>{t('profile.counterCode.help')}</Typography.Paragraph>
      <ErrorAlert error={make.error} />
      <div role="status" aria-live="polite">
        {issued && !expired && (
          <div style={{ marginBottom: 16 }}>
            <Typography.Text>{t('profile.counterCode.label')}</Typography.Text>
            <div
              data-testid="counter-code"
              style={{
                fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
                fontSize: 40,
                fontWeight: 600,
                letterSpacing: '0.15em',
                lineHeight: 1.3,
                margin: '4px 0',
              }}
            >
              {issued.code}
            </div>
            <Typography.Text>{t('profile.counterCode.validUntil', { time })}</Typography.Text>
          </div>
        )}
        {expired && (
          <Alert type="info" showIcon title={t('profile.counterCode.expired')} style={{ marginBottom: 16 }} />
        )}
      </div>
      <Button type={issued ? 'default' : 'primary'} onClick={get} loading={make.isPending}>
        {issued ? t('profile.counterCode.getNew') : t('profile.counterCode.get')}
      </Button>
    </SectionCard>
  );
}
