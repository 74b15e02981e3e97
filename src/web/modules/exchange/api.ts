import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type {
  AccessLogEntrySchema,
  AccessLogQuery,
  AccessRequest,
  AccessRequestQuery,
  CreateAccessRequest,
  Decision,
  ExchangeSettings,
  ExtractSchema,
  Grant,
  GrantAction,
  GrantQuery,
  IssuedCredentialSchema,
  MyDataEntrySchema,
  NoticeSchema,
  SharedResource,
  SharedResourceQuery,
  SubscriptionSchema,
  UsageSchema,
} from '../../../contracts/exchange.ts';
import { del, get, post, query } from '../../app/api.ts';

// Query hooks of the exchange. Writes refresh what they change: the request or grant itself and
// every list that may show it (a decision creates a grant, so it refreshes both).

export type AccessLogEntry = Static<typeof AccessLogEntrySchema>;
export type Extract = Static<typeof ExtractSchema>;
export type IssuedCredential = Static<typeof IssuedCredentialSchema>;
export type MyDataEntry = Static<typeof MyDataEntrySchema>;
export type Notice = Static<typeof NoticeSchema>;
export type Subscription = Static<typeof SubscriptionSchema>;
export type Usage = Static<typeof UsageSchema>;

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

const EXCHANGE = ['exchange'] as const;

/**
 * The contract fixes the item shapes of the subscription, extract and notice lists but not their
 * envelope: take a bare array or a page's items alike.
 */
export const itemsOf = <T>(body: T[] | { items: T[] } | undefined): T[] =>
  Array.isArray(body) ? body : (body?.items ?? []);
const getList = async <T>(url: string) => itemsOf(await get<T[] | { items: T[] }>(url));
type Params = Record<string, string | number | undefined>;

export const useSharedResources = (params: Static<typeof SharedResourceQuery>) =>
  useQuery({
    queryKey: [...EXCHANGE, 'resources', params],
    queryFn: () => get<Page<SharedResource>>(`/api/exchange/resources${query(params as Params)}`),
    placeholderData: keepPreviousData,
  });

export const useSharedResource = (datasetId: string | undefined) =>
  useQuery({
    queryKey: [...EXCHANGE, 'resource', datasetId],
    queryFn: () => get<SharedResource>(`/api/exchange/resources/${datasetId}`),
    enabled: !!datasetId,
  });

export const useAccessRequests = (params: Static<typeof AccessRequestQuery>) =>
  useQuery({
    queryKey: [...EXCHANGE, 'requests', params],
    queryFn: () => get<Page<AccessRequest>>(`/api/exchange/requests${query(params as Params)}`),
    placeholderData: keepPreviousData,
  });

export const useAccessRequest = (id: string | undefined) =>
  useQuery({
    queryKey: [...EXCHANGE, 'request', id],
    queryFn: () => get<AccessRequest>(`/api/exchange/requests/${id}`),
    enabled: !!id,
  });

export const useGrants = (params: Static<typeof GrantQuery>) =>
  useQuery({
    queryKey: [...EXCHANGE, 'grants', params],
    queryFn: () => get<Page<Grant>>(`/api/exchange/grants${query(params as Params)}`),
    placeholderData: keepPreviousData,
  });

export const useGrant = (id: string | undefined) =>
  useQuery({
    queryKey: [...EXCHANGE, 'grant', id],
    queryFn: () => get<Grant>(`/api/exchange/grants/${id}`),
    enabled: !!id,
  });

export const useAccessLog = (params: Static<typeof AccessLogQuery>) =>
  useQuery({
    queryKey: [...EXCHANGE, 'access-log', params],
    queryFn: () => get<Page<AccessLogEntry>>(`/api/exchange/access-log${query(params as Params)}`),
    placeholderData: keepPreviousData,
  });

export const useUsage = (
  params: { datasetId?: string; departmentId?: string; days?: number },
  enabled = true,
) =>
  useQuery({
    queryKey: [...EXCHANGE, 'usage', params],
    queryFn: () => get<Usage>(`/api/exchange/usage${query(params)}`),
    enabled,
  });

/** The platform's limits (longest grant, rate limits), which the forms check before sending. */
export const useExchangeSettings = () =>
  useQuery({
    queryKey: [...EXCHANGE, 'settings'],
    queryFn: () => get<ExchangeSettings>('/api/exchange/settings'),
    staleTime: 5 * 60_000,
  });

export const useNotices = (enabled = true) =>
  useQuery({
    queryKey: [...EXCHANGE, 'notices'],
    queryFn: () => getList<Notice>('/api/exchange/notices'),
    enabled,
    // The deadline tick writes notices every few minutes; the nav badge need not be fresher.
    staleTime: 60_000,
  });

export const useMyDataAccess = (params: { page: number; pageSize: number }) =>
  useQuery({
    queryKey: ['me', 'data-access', params],
    queryFn: () => get<Page<MyDataEntry>>(`/api/me/data-access${query(params)}`),
    placeholderData: keepPreviousData,
  });

/** Where the CSV export of "my data" is served (a plain link: the browser downloads it). */
export const MY_DATA_CSV = '/api/me/data-access?format=csv';

/** Refreshes every exchange list and detail after a write. */
function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: EXCHANGE });
}

export function useCreateRequest() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: CreateAccessRequest) => post<AccessRequest>('/api/exchange/requests', body),
    onSuccess: refresh,
  });
}

export function useDecide(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: Decision) => post<AccessRequest>(`/api/exchange/requests/${id}/decision`, body),
    onSuccess: refresh,
  });
}

export function useWithdraw(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: () => post<AccessRequest>(`/api/exchange/requests/${id}/withdraw`),
    onSuccess: refresh,
  });
}

export function useGrantAction(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ action, ...body }: { action: GrantAction; reason?: string; days?: number }) =>
      post<Grant>(`/api/exchange/grants/${id}/${action}`, body),
    onSuccess: refresh,
  });
}

export function useIssueCredential(id: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: () => post<IssuedCredential>(`/api/exchange/grants/${id}/credential`),
    onSuccess: refresh,
  });
}

export const useSubscriptions = (grantId: string, enabled = true) =>
  useQuery({
    queryKey: [...EXCHANGE, 'subscriptions', grantId],
    queryFn: () => getList<Subscription>(`/api/exchange/grants/${grantId}/subscriptions`),
    enabled,
  });

export function useCreateSubscription(grantId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (url: string) => post<Subscription>(`/api/exchange/grants/${grantId}/subscriptions`, { url }),
    onSuccess: refresh,
  });
}

export function useCancelSubscription() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => del(`/api/exchange/subscriptions/${id}`),
    onSuccess: refresh,
  });
}

export const useExtracts = (grantId: string, enabled = true) =>
  useQuery({
    queryKey: [...EXCHANGE, 'extracts', grantId],
    queryFn: () => getList<Extract>(`/api/exchange/grants/${grantId}/extracts`),
    enabled,
    // Extracts are written by a job: look again while one is still on its way.
    refetchInterval: (q) =>
      q.state.data?.some((e) => e.state === 'queued' || e.state === 'running') ? 3000 : false,
  });

export function useCreateExtract(grantId: string) {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (format: 'csv' | 'json') =>
      post<Extract>(`/api/exchange/grants/${grantId}/extracts`, { format }),
    onSuccess: refresh,
  });
}

/** The download address of a ready extract (a plain link: the session cookie authorises it). */
export const extractDownloadUrl = (id: string) => `/api/exchange/extracts/${id}/download`;
