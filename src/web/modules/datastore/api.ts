import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { DatastoreInfo, DictionaryUpdate, LoadDto, LoadOptions } from '../../../contracts/datastore.ts';
import type { DatastoreQuality, QualityRulesInput } from '../../../contracts/datastore-quality.ts';
import type { DumpFormat } from '../../../contracts/datastore-values.ts';
import { ApiError, api, get, post, query } from '../../app/api.ts';
import { type RowsParams, rowsQuery } from './query.ts';

// Query hooks of the DataStore module: a table's info, its loads (polled while they run), the
// dictionary, rows for the preview, aggregates for the quick chart, and the quality report and rules.

const DATASTORE = ['datastore'] as const;

/** Whether a load is still waiting or working (then its progress is polled). */
export const isActive = (load: Pick<LoadDto, 'status'> | null | undefined) =>
  load?.status === 'queued' || load?.status === 'running';

/** A table's info; with `poll`, read again every two seconds while its last load is under way. */
export const useDatastoreInfo = (distributionId: string | undefined, options: { poll?: boolean } = {}) =>
  useQuery(datastoreInfoQuery(distributionId, options));

/** The query of a table's info, for useQuery and useQueries alike. */
export const datastoreInfoQuery = (distributionId: string | undefined, { poll = false } = {}) => ({
  queryKey: [...DATASTORE, 'info', distributionId],
  queryFn: () => get<DatastoreInfo>(`/api/datastore/${distributionId}`),
  enabled: !!distributionId,
  refetchInterval: (q: { state: { data?: DatastoreInfo | undefined } }) =>
    poll && isActive(q.state.data?.lastLoad) ? 2000 : (false as const),
});

/** One load; polled every second while queued or running, as the load moves through its stages. */
export const useLoad = (loadId: string | undefined) =>
  useQuery({
    queryKey: [...DATASTORE, 'load', loadId],
    queryFn: () => get<LoadDto>(`/api/datastore/loads/${loadId}`),
    enabled: !!loadId,
    refetchInterval: (q) => (isActive(q.state.data) ? 1000 : false),
  });

/** Reads a table's info (columns, versions, last load) and rows again, after a write or a load. */
export function useRefreshTable() {
  const client = useQueryClient();
  return useCallback(
    async (distributionId: string) => {
      await client.invalidateQueries({ queryKey: [...DATASTORE, 'info', distributionId] });
      await client.invalidateQueries({ queryKey: [...DATASTORE, 'rows', distributionId] });
      await client.invalidateQueries({ queryKey: [...DATASTORE, 'sql'] });
      // Every load profiles the new version, so its report is new too.
      await client.invalidateQueries({ queryKey: [...DATASTORE, 'quality', distributionId] });
    },
    [client],
  );
}

/** Starts a load: the answer (202) is the queued load, cached so polling starts from it. */
function useStartLoad<TInput>(distributionId: string, fn: (input: TInput) => Promise<LoadDto>) {
  const client = useQueryClient();
  const invalidate = useRefreshTable();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (load) => {
      client.setQueryData([...DATASTORE, 'load', load.id], load);
      await invalidate(distributionId);
    },
  });
}

export interface UploadLoadInput {
  file: File;
  mode?: LoadOptions['mode'];
  key?: string[];
  sheet?: string;
  encoding?: LoadOptions['encoding'];
  delimiter?: string;
}

/** Uploads a file into the table: the option fields first, the file last (the server reads them in that order). */
export const useUploadLoad = (distributionId: string) =>
  useStartLoad(distributionId, (input: UploadLoadInput) => {
    const body = new FormData();
    if (input.mode) body.append('mode', input.mode);
    if (input.key?.length) body.append('key', JSON.stringify(input.key));
    if (input.sheet) body.append('sheet', input.sheet);
    if (input.encoding) body.append('encoding', input.encoding);
    if (input.delimiter) body.append('delimiter', input.delimiter);
    body.append('file', input.file, input.file.name);
    return post<LoadDto>(`/api/datastore/${distributionId}/loads`, body);
  });

/** Loads the stored file again with other options (another sheet, encoding, delimiter). */
export const useReload = (distributionId: string) =>
  useStartLoad(distributionId, (options: LoadOptions) =>
    post<LoadDto>(`/api/datastore/${distributionId}/reload`, options),
  );

export function useCancelLoad(distributionId: string) {
  const client = useQueryClient();
  const invalidate = useRefreshTable();
  return useMutation({
    mutationFn: (loadId: string) => post<LoadDto>(`/api/datastore/loads/${loadId}/cancel`),
    onSuccess: async (load) => {
      client.setQueryData([...DATASTORE, 'load', load.id], load);
      await invalidate(distributionId);
    },
  });
}

/** Saves dictionary corrections; a 409 datastore.cast_failed comes back as the ApiError to show. */
export function useUpdateDictionary(distributionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: DictionaryUpdate) =>
      api<DatastoreInfo>('PUT', `/api/datastore/${distributionId}/dictionary`, body),
    onSuccess: async (info) => {
      client.setQueryData([...DATASTORE, 'info', distributionId], info);
      await client.invalidateQueries({ queryKey: [...DATASTORE, 'rows', distributionId] });
      // Types, descriptions and masks feed the profile and the score, which the save recomputed.
      await client.invalidateQueries({ queryKey: [...DATASTORE, 'quality', distributionId] });
    },
  });
}

/** datastore_search's answer, as GET /api/datastore/:id/rows returns it. */
export interface RowsResult {
  fields: { id: string; type: string; info?: { label?: string } }[];
  records: Record<string, unknown>[];
  total?: number;
  limit: number;
  offset: number;
}

export const useRows = (distributionId: string, params: RowsParams) =>
  useQuery({
    queryKey: [...DATASTORE, 'rows', distributionId, params],
    queryFn: () => get<RowsResult>(`/api/datastore/${distributionId}/rows${query(rowsQuery(params))}`),
    placeholderData: keepPreviousData,
  });

export interface SqlResult {
  fields: { id: string; type: string }[];
  records: Record<string, unknown>[];
}

/** Runs a datastore_search_sql statement through the CKAN Action API (its own error envelope). */
async function searchSql(statement: string): Promise<SqlResult> {
  const url = `/api/3/action/datastore_search_sql${query({ sql: statement })}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err), undefined, undefined);
  }
  const body = (await response.json().catch(() => undefined)) as
    | { success?: boolean; result?: SqlResult; error?: { message?: string } }
    | undefined;
  if (!response.ok || !body?.success || !body.result) {
    const message = body?.error?.message ?? response.statusText;
    throw new ApiError(response.status, 'datastore.sql_failed', message, undefined, undefined);
  }
  return body.result;
}

export const useSqlQuery = (statement: string | undefined) =>
  useQuery({
    queryKey: [...DATASTORE, 'sql', statement],
    queryFn: () => searchSql(statement ?? ''),
    enabled: !!statement,
    placeholderData: keepPreviousData,
  });

/** Where a table (or a kept version of it) is downloaded; with `search` (dumpSearch), only those rows. */
export const dumpPath = (
  distributionId: string,
  format: DumpFormat,
  version?: number,
  search?: Record<string, string>,
) => `/datastore/dump/${distributionId}${query({ format, version, ...search })}`;

/** A table's quality report: profile, rule results and score, as the caller may see them. */
export const useQuality = (distributionId: string) =>
  useQuery({
    queryKey: [...DATASTORE, 'quality', distributionId],
    queryFn: () => get<DatastoreQuality>(`/api/datastore/${distributionId}/quality`),
  });

/**
 * Replaces a table's rules; the answer is the report checked against them, cached at once. A 400
 * comes back as the ApiError whose fields name the rules (/rules/<index>/<field>).
 */
export function useUpdateRules(distributionId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: QualityRulesInput) =>
      api<DatastoreQuality>('PUT', `/api/datastore/${distributionId}/quality/rules`, body),
    onSuccess: (quality) => {
      client.setQueryData([...DATASTORE, 'quality', distributionId], quality);
    },
  });
}
