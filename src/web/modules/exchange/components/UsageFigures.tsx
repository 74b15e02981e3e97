import { Col, Row, Statistic } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { Static } from 'typebox';
import type { UsageFiguresSchema } from '../../../../contracts/exchange.ts';

type Figures = Static<typeof UsageFiguresSchema>;

/** Milliseconds as text, or a dash when there were no calls to measure. */
export const formatMs = (value: number | null, t: TFunction) =>
  value === null ? '—' : t('exchange.usage.ms', { value: Math.round(value * 10) / 10 });

/** Calls, rows, failures, latency and active grants side by side. */
export function UsageFigures({ figures }: { figures: Figures }) {
  const { t, i18n } = useTranslation();
  const number = (n: number) => n.toLocaleString(i18n.language);
  const items: [string, string][] = [
    [t('exchange.usage.calls'), number(figures.calls)],
    [t('exchange.usage.rows'), number(figures.rows)],
    [t('exchange.usage.failures'), number(figures.failures)],
    [t('exchange.usage.p50'), formatMs(figures.p50Ms, t)],
    [t('exchange.usage.p95'), formatMs(figures.p95Ms, t)],
    [t('exchange.usage.activeGrants'), number(figures.activeGrants)],
  ];
  return (
    <Row gutter={[16, 16]}>
      {items.map(([title, value]) => (
        <Col key={title} xs={12} md={8} xl={4}>
          <Statistic title={title} value={value} />
        </Col>
      ))}
    </Row>
  );
}
