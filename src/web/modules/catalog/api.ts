import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AnswerDataRequestInput,
  CreateDataRequestInput,
  CreateDatasetInput,
  DataRequestDto,
  DatasetDto,
  LicenseDto,
  LinkDistributionInput,
  PortalOverviewDto,
  SearchQueryInput,
  SearchResultDto,
  ThemeDto,
  UpdateDatasetInput,
  VersionDto,
} from '../../../contracts/catalog.ts';
import { del, get, patch, post, query } from '../../app/api.ts';
import type { FilterKey } from './search-state.ts';

// Query hooks of the catalog module. Writes refresh what they change: the resource itself, its
// history, and every list or search that may show it.

/** A search as the API takes it; the server validates the coded values. */
export type SearchParams = Partial<Record<FilterKey, string>> & {
  q?: string | undefined;
  sort?: SearchQueryInput['sort'];
  page?: number;
  pageSize?: number;
  includePrivate?: boolean;
};

const CATALOG = ['catalog'] as const;

export const useCatalogSearch = (params: SearchParams, enabled = true) =>
  useQuery({
    queryKey: [...CATALOG, 'search', params],
    queryFn: () =>
      get<SearchResultDto>(
        `/api/catalog/search${query({ ...params, includePrivate: params.includePrivate ? 'true' : undefined })}`,
      ),
    placeholderData: keepPreviousData,
    enabled,
  });

export const usePortalOverview = () =>
  useQuery({
    queryKey: [...CATALOG, 'overview'],
    queryFn: () => get<PortalOverviewDto>('/api/catalog/overview'),
  });

export const useThemes = () =>
  useQuery({
    queryKey: [...CATALOG, 'themes'],
    queryFn: () => get<ThemeDto[]>('/api/catalog/themes'),
    staleTime: 10 * 60_000,
  });

export const useLicenses = () =>
  useQuery({
    queryKey: [...CATALOG, 'licenses'],
    queryFn: () => get<LicenseDto[]>('/api/catalog/licenses'),
    staleTime: Infinity,
  });

/** One resource by its URL name or id. */
export const useDataset = (ref: string | undefined) =>
  useQuery({
    queryKey: [...CATALOG, 'dataset', ref],
    queryFn: () => get<DatasetDto>(`/api/catalog/datasets/${encodeURIComponent(ref ?? '')}`),
    enabled: !!ref,
  });

export const useHistory = (ref: string | undefined) =>
  useQuery({
    queryKey: [...CATALOG, 'history', ref],
    queryFn: () => get<VersionDto[]>(`/api/catalog/datasets/${encodeURIComponent(ref ?? '')}/history`),
    enabled: !!ref,
  });

/** Any write about a resource: the server answers with the resource as it now is. */
function useDatasetMutation<TInput>(fn: (input: TInput) => Promise<DatasetDto>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (ds) => {
      // Cached under both the id (console) and the name (portal).
      client.setQueryData([...CATALOG, 'dataset', ds.id], ds);
      client.setQueryData([...CATALOG, 'dataset', ds.name], ds);
      await client.invalidateQueries({ queryKey: [...CATALOG, 'search'] });
      await client.invalidateQueries({ queryKey: [...CATALOG, 'history'] });
      await client.invalidateQueries({ queryKey: [...CATALOG, 'overview'] });
    },
  });
}

export const useCreateDataset = () =>
  useDatasetMutation((body: CreateDatasetInput) => post<DatasetDto>('/api/catalog/datasets', body));

export const useUpdateDataset = (id: string) =>
  useDatasetMutation((body: UpdateDatasetInput) => patch<DatasetDto>(`/api/catalog/datasets/${id}`, body));

export const useSubmitDataset = (id: string) =>
  useDatasetMutation(() => post<DatasetDto>(`/api/catalog/datasets/${id}/submit`));

export const useReviewDataset = (id: string) =>
  useDatasetMutation((body: { decision: 'publish' | 'reject'; note?: string }) =>
    post<DatasetDto>(`/api/catalog/datasets/${id}/review`, body),
  );

export const useWithdrawDataset = (id: string) =>
  useDatasetMutation((reason: string) =>
    post<DatasetDto>(`/api/catalog/datasets/${id}/withdraw`, { reason }),
  );

export const useAddLink = (id: string) =>
  useDatasetMutation((body: LinkDistributionInput) =>
    post<DatasetDto>(`/api/catalog/datasets/${id}/distributions`, body),
  );

export const useDeleteDistribution = () =>
  useDatasetMutation((distributionId: string) =>
    del<DatasetDto>(`/api/catalog/distributions/${distributionId}`),
  );

/** Uploads one file: the text fields first, then the file, as the server reads them in that order. */
export const useUploadFile = (id: string) =>
  useDatasetMutation((input: { file: File; name?: string; description?: string; format?: string }) => {
    const body = new FormData();
    if (input.name) body.append('name', input.name);
    if (input.description) body.append('description', input.description);
    if (input.format) body.append('format', input.format);
    body.append('file', input.file, input.file.name);
    return post<DatasetDto>(`/api/catalog/datasets/${id}/files`, body);
  });

export function useDeleteDraft() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/catalog/datasets/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: [...CATALOG, 'search'] }),
  });
}

// ---- data requests ---------------------------------------------------------------------------

export const useCreateDataRequest = () =>
  useMutation({
    mutationFn: (body: CreateDataRequestInput) => post<DataRequestDto>('/api/catalog/data-requests', body),
  });

export const useTrackedRequest = (code: string | undefined) =>
  useQuery({
    queryKey: [...CATALOG, 'track', code],
    queryFn: () => get<DataRequestDto>(`/api/catalog/data-requests/track/${encodeURIComponent(code ?? '')}`),
    enabled: !!code,
  });

export const useDataRequests = (status: DataRequestDto['status'] | undefined) =>
  useQuery({
    queryKey: [...CATALOG, 'requests', status],
    queryFn: () => get<DataRequestDto[]>(`/api/catalog/data-requests${query({ status })}`),
  });

export function useAnswerDataRequest() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: AnswerDataRequestInput & { id: string }) =>
      post<DataRequestDto>(`/api/catalog/data-requests/${id}/answer`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: [...CATALOG, 'requests'] }),
  });
}
