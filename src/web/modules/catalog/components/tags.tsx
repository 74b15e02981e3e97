import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DataRequestDto, DatasetStatus, OpenType, ShareType } from '../../../../contracts/catalog.ts';
import { VisuallyHidden } from '../../../ui/VisuallyHidden.tsx';

// Status colours are antd's status presets, which the app's theme keeps at 4.5:1 contrast.
const STATUS_COLOR: Record<DatasetStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  published: 'success',
  withdrawn: 'error',
};
// antd's warning tag (#ad6800 on #fff7e6) reaches only 4.1:1, so conditional access is shown in blue.
const OPEN_COLOR: Record<OpenType, string> = { open: 'success', conditional: 'processing', none: 'default' };
const SHARE_COLOR: Record<ShareType, string> = {
  unconditional: 'success',
  conditional: 'processing',
  none: 'default',
};

export function StatusTag({ status }: { status: DatasetStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOR[status]}>{t(`catalog.enums.status.${status}`)}</Tag>;
}

export function OpenTag({ value }: { value: OpenType }) {
  const { t } = useTranslation();
  return <Tag color={OPEN_COLOR[value]}>{t(`catalog.enums.openType.${value}`)}</Tag>;
}

export function ShareTag({ value }: { value: ShareType }) {
  const { t } = useTranslation();
  return <Tag color={SHARE_COLOR[value]}>{t(`catalog.enums.shareType.${value}`)}</Tag>;
}

/** "Overdue": published, and its update cycle has passed without a new version. */
export function OverdueTag({ overdue }: { overdue: boolean }) {
  const { t } = useTranslation();
  return overdue ? <Tag color="error">{t('catalog.dataset.overdue')}</Tag> : null;
}

/**
 * The DataStore quality score (0–100), when a table has been profiled. "质量 86" alone does not say
 * what it is out of: screen readers hear the full sentence instead, and a pointer shows it as a title.
 */
export function QualityTag({ score }: { score: number | null }) {
  const { t } = useTranslation();
  if (score === null) return null;
  const label = t('catalog.dataset.qualityLabel', { score });
  return (
    <Tag color={score >= 80 ? 'success' : score >= 50 ? 'processing' : 'default'} title={label}>
      <span aria-hidden="true">{t('catalog.dataset.quality', { score })}</span>
      <VisuallyHidden>{label}</VisuallyHidden>
    </Tag>
  );
}

const REQUEST_COLOR: Record<DataRequestDto['status'], string> = {
  open: 'processing',
  answered: 'success',
  fulfilled: 'success',
  declined: 'error',
};

/** A data request's status as a coloured tag. */
export function RequestStatusTag({ status }: { status: DataRequestDto['status'] }) {
  const { t } = useTranslation();
  return <Tag color={REQUEST_COLOR[status]}>{t(`catalog.enums.requestStatus.${status}`)}</Tag>;
}
