import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApiTokenDto,
  CounterAccountDto,
  CounterCodeDto,
  CounterLookupResultDto,
  CreateDepartmentInput,
  CreateStaffInput,
  DepartmentDto,
  DepartmentRoleName,
  PendingReleasesPageDto,
  PersonDto,
  PersonKindName,
  UpdateDepartmentInput,
} from '../../../contracts/identity.ts';
import { api, del, get, patch, post, query } from '../../app/api.ts';

// Query hooks of the identity module. Writes invalidate what they change, so tables refresh.

export interface PeopleFilter {
  q?: string;
  kind?: PersonKindName;
  departmentId?: string;
  limit: number;
  offset: number;
}

export const useDepartments = () =>
  useQuery({ queryKey: ['departments'], queryFn: () => get<DepartmentDto[]>('/api/departments') });

export function useSaveDepartment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id?: string } & (CreateDepartmentInput | UpdateDepartmentInput)) =>
      id
        ? patch<DepartmentDto>(`/api/departments/${id}`, body)
        : post<DepartmentDto>('/api/departments', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['departments'] }),
  });
}

export const usePeople = (filter: PeopleFilter) =>
  useQuery({
    queryKey: ['people', filter],
    queryFn: () => get<{ items: PersonDto[]; total: number }>(`/api/people${query({ ...filter })}`),
    placeholderData: keepPreviousData,
  });

/** Any write about people: refreshes lists, and the session (the person may be oneself). */
function usePeopleMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['people'] });
      await client.invalidateQueries({ queryKey: ['pending-releases'] });
      await client.invalidateQueries({ queryKey: ['me'] });
    },
  });
}

export const useCreateStaff = () =>
  usePeopleMutation((body: CreateStaffInput) => post<PersonDto>('/api/people', body));

export const useUpdatePerson = () =>
  usePeopleMutation(
    ({
      id,
      ...body
    }: {
      id: string;
      displayName?: string;
      email?: string | null;
      status?: 'active' | 'disabled';
    }) => patch<PersonDto>(`/api/people/${id}`, body),
  );

export const useUnlockPerson = () =>
  usePeopleMutation((id: string) => post<void>(`/api/people/${id}/unlock`));

export const useResetPassword = () =>
  usePeopleMutation(({ id, password }: { id: string; password: string }) =>
    post<void>(`/api/people/${id}/password`, { password }),
  );

export const useAssignRole = () =>
  usePeopleMutation((body: { personId: string; departmentId: string; role: DepartmentRoleName }) =>
    post<void>('/api/role-assignments', body),
  );

export const useRemoveRole = () => usePeopleMutation((id: string) => del(`/api/role-assignments/${id}`));

export const useAllTokens = () =>
  useQuery({ queryKey: ['tokens', 'all'], queryFn: () => get<ApiTokenDto[]>('/api/tokens') });
export const useMyTokens = () =>
  useQuery({ queryKey: ['tokens', 'mine'], queryFn: () => get<ApiTokenDto[]>('/api/me/tokens') });

export function useRevokeToken(scope: 'all' | 'mine') {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(scope === 'all' ? `/api/tokens/${id}` : `/api/me/tokens/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; expiresInDays: number | null }) =>
      post<{ token: string; apiToken: ApiTokenDto }>('/api/me/tokens', body),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

/** Withdraws a verification made in error, with the reason. */
export const useRevokeIdentity = () =>
  usePeopleMutation(({ id, reason }: { id: string; reason: string }) =>
    api<CounterAccountDto>('DELETE', `/api/people/${id}/identity-verification`, { reason }),
  );

/** Stops a counter's pending release of an account's ID number, with the reason. */
export const useStopRelease = () =>
  usePeopleMutation(({ id, reason }: { id: string; reason: string }) =>
    api<CounterAccountDto>('DELETE', `/api/people/${id}/identifier-release`, { reason }),
  );

/** Releases in their notice period (platform admins: all; department admins: their counters'), soonest first. */
export const usePendingReleases = (
  page: { departmentId?: string; limit: number; offset: number },
  enabled = true,
) =>
  useQuery({
    queryKey: ['pending-releases', page],
    queryFn: () => get<PendingReleasesPageDto>(`/api/identity-verification/releases${query({ ...page })}`),
    placeholderData: keepPreviousData,
    enabled,
  });

/** Counter: the accounts holding exactly this identifier (the server audits every lookup). */
export const useCounterLookup = () =>
  useMutation({
    mutationFn: (identifier: string) =>
      post<CounterLookupResultDto>('/api/identity-verification/lookup', { identifier }),
  });

/** Counter: records the verification of one looked-up account, with the holder's code and the document checked. */
export const useCounterVerify = () =>
  usePeopleMutation((body: { identifier: string; personId: string; code: string; note: string }) =>
    post<CounterAccountDto>('/api/identity-verification', body),
  );

/** Counter: frees the number from an unverified account whose holder cannot show its code (disables it). */
export const useCounterRelease = () =>
  usePeopleMutation((body: { identifier: string; personId: string; note: string }) =>
    post<CounterAccountDto>('/api/identity-verification/release', body),
  );

/** Own account: a new one-time code to show at the identity-verification counter (replaces any earlier one). */
export const useCounterCode = () =>
  useMutation({ mutationFn: () => post<CounterCodeDto>('/api/me/identity-verification/code') });
