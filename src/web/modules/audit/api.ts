import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import type { AuditKeyDto, CheckpointPageDto } from '../../../contracts/audit.ts';
import type { AuditEntryDto, AuditVerifyDto } from '../../../contracts/identity.ts';
import { get, post, query } from '../../app/api.ts';

export interface AuditFilter {
  action?: string;
  actor?: string;
  targetId?: string;
  departmentId?: string;
  from?: string;
  to?: string;
}

const PAGE = 50;

/** The audit trail newest first, fetched page by page with the server's keyset cursor. */
export const useAuditEntries = (filter: AuditFilter) =>
  useInfiniteQuery({
    queryKey: ['audit', filter],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      get<{ items: AuditEntryDto[]; nextBefore: number | null }>(
        `/api/audit${query({ ...filter, before: pageParam, limit: PAGE })}`,
      ),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });

/** Re-checks the whole hash chain and the signed checkpoints on the server. */
export const useVerifyAudit = () =>
  useMutation({ mutationFn: () => post<AuditVerifyDto>('/api/audit/verify') });

/** Where anyone can fetch the public key that signs checkpoints. */
export const AUDIT_KEY_URL = '/.well-known/civitas-audit-key';

/** The ten newest signed checkpoints. */
export const useCheckpoints = () =>
  useQuery({
    queryKey: ['audit', 'checkpoints'],
    queryFn: () => get<CheckpointPageDto>('/api/audit/checkpoints?limit=10'),
  });

/** The checkpoint-signing public key (its id is what checkpoints name). */
export const useAuditKey = () =>
  useQuery({
    queryKey: ['audit', 'key'],
    queryFn: () => get<AuditKeyDto>(AUDIT_KEY_URL),
    staleTime: Infinity,
  });

/** Actions the platform records today, offered as suggestions in the filter (any prefix works). */
export const KNOWN_ACTIONS = [
  'identity.login',
  'identity.login_failed',
  'identity.logout',
  'identity.locked',
  'identity.mfa_failed',
  'identity.register',
  'identity.profile_update',
  'identity.password_change',
  'identity.reauth_failed',
  'identity.department.create',
  'identity.department.update',
  'identity.person.create',
  'identity.person.update',
  'identity.person.unlock',
  'identity.person.password_reset',
  'identity.role.assign',
  'identity.role.revoke',
  'identity.token.create',
  'identity.token.revoke',
  'identity.totp_setup',
  'identity.totp_enable',
  'identity.totp_disable',
  'identity.recovery_codes_regenerate',
  'audit.verify',
] as const;

/** i18n key of an action's human label (dots would read as nesting, so they become underscores). */
export const actionKey = (action: string) => `audit.actions.${action.replaceAll('.', '_')}`;
