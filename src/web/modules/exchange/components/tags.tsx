import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { GrantState, RequestState } from '../../../../contracts/exchange.ts';
import type { AccessLogEntry, Extract } from '../api.ts';

// State tags of the exchange. Colours are antd's status presets (kept at 4.5:1 contrast by the
// theme); the text always says the state, so colour is never the only signal.

const REQUEST_COLOR: Record<RequestState, string> = {
  pending: 'processing',
  approved: 'success',
  refused: 'error',
  withdrawn: 'default',
};
const GRANT_COLOR: Record<GrantState, string> = {
  active: 'success',
  suspended: 'processing',
  revoked: 'error',
  expired: 'default',
};
const OUTCOME_COLOR: Record<AccessLogEntry['outcome'], string> = {
  ok: 'success',
  refused: 'error',
  rate_limited: 'processing',
  invalid: 'default',
  error: 'error',
};
const EXTRACT_COLOR: Record<Extract['state'], string> = {
  queued: 'default',
  running: 'processing',
  ready: 'success',
  failed: 'error',
  expired: 'default',
};

export function RequestStateTag({ state }: { state: RequestState }) {
  const { t } = useTranslation();
  return <Tag color={REQUEST_COLOR[state]}>{t(`exchange.enums.requestState.${state}`)}</Tag>;
}

export function GrantStateTag({ state }: { state: GrantState }) {
  const { t } = useTranslation();
  return <Tag color={GRANT_COLOR[state]}>{t(`exchange.enums.grantState.${state}`)}</Tag>;
}

export function OutcomeTag({ outcome }: { outcome: AccessLogEntry['outcome'] }) {
  const { t } = useTranslation();
  return <Tag color={OUTCOME_COLOR[outcome]}>{t(`exchange.enums.outcome.${outcome}`)}</Tag>;
}

export function ExtractStateTag({ state }: { state: Extract['state'] }) {
  const { t } = useTranslation();
  return <Tag color={EXTRACT_COLOR[state]}>{t(`exchange.enums.extractState.${state}`)}</Tag>;
}

/** "Overdue" on a pending request whose decision deadline has passed. */
export function OverdueTag({ overdue }: { overdue: boolean }) {
  const { t } = useTranslation();
  return overdue ? <Tag color="error">{t('exchange.requests.overdue')}</Tag> : null;
}

/** A column's sensitivity, in the DataStore's words. */
export function SensitivityTag({ value }: { value: string }) {
  const { t } = useTranslation();
  const color = value === 'secret' ? 'error' : value === 'personal' ? 'processing' : 'default';
  return <Tag color={color}>{t(`datastore.enums.sensitivity.${value}`, { defaultValue: value })}</Tag>;
}
