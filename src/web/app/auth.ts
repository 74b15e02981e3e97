import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { MeDto } from '../../contracts/identity.ts';
import { ApiError, get, post, setCsrfToken } from './api.ts';

export const ME_KEY = ['me'] as const;

/** GET /api/me: the signed-in person, or null when anonymous. Keeps the CSRF token current. */
export async function fetchMe(): Promise<MeDto | null> {
  try {
    const me = await get<MeDto>('/api/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

/** The session as a query: every component reads the same cached answer. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });
}

/** Re-reads the session after sign-in or a profile change (new CSRF token, new roles). */
export function useRefreshMe() {
  const client = useQueryClient();
  return async () => {
    const me = await fetchMe();
    client.setQueryData(ME_KEY, me);
    return me;
  };
}

/** Signs out and forgets every cached answer, so the next person sees nothing of this one. */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => post<void>('/api/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}
