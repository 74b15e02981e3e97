import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DataRequestDto, DatasetStatus, OpenType, ShareType } from '../../../../contracts/catalog.ts';

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
