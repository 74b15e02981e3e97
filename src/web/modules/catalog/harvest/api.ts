import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type {
  CreateHarvestSourceInput,
  HarvestRunDto,
  HarvestRunRequestedDto,
  HarvestSourceDto,
  UpdateHarvestSourceInput,
} from '../../../../contracts/harvest.ts';
import { del, get, patch, post } from '../../../app/api.ts';
import { isActiveRun } from './constants.ts';

// Query hooks of harvest sources and runs. A run that is queued or running is polled every 2 s;
// when it ends, the sources and run lists (and the catalog searches it filled) are refreshed.

/** Sources, one source and a source's runs all sit under this key: one invalidation refreshes them. */
const SOURCES = ['catalog', 'harvest', 'sources'] as const;
const runKey = (id: string) => ['catalog', 'harvest', 'run', id] as const;
export const POLL_MS = 2000;
const RUN_LIST_LIMIT = 50;

export const useHarvestSources = () =>
  useQuery({
    queryKey: SOURCES,
    queryFn: async () => (await get<{ sources: HarvestSourceDto[] }>('/api/catalog/harvest/sources')).sources,
  });

export const useHarvestSource = (id: string | undefined) =>
  useQuery({
    queryKey: [...SOURCES, id],
    queryFn: () => get<HarvestSourceDto>(`/api/catalog/harvest/sources/${id}`),
    enabled: !!id,
  });

/** Refreshes what a finished run changed, once, when `active` turns false. */
function useRefreshWhenSettled(active: boolean) {
  const client = useQueryClient();
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) {
      void client.invalidateQueries({ queryKey: SOURCES });
      // Imported, updated or withdrawn datasets change what the catalog searches show.
      void client.invalidateQueries({ queryKey: ['catalog', 'search'] });
      void client.invalidateQueries({ queryKey: ['catalog', 'overview'] });
    }
    wasActive.current = active;
  }, [active, client]);
}

/** A source's runs, newest first; polled while one of them is queued or running. */
export function useHarvestRuns(sourceId: string | undefined) {
  const runs = useQuery({
    queryKey: [...SOURCES, sourceId, 'runs'],
    queryFn: async () =>
      (
        await get<{ runs: HarvestRunDto[] }>(
          `/api/catalog/harvest/sources/${sourceId}/runs?limit=${RUN_LIST_LIMIT}`,
        )
      ).runs,
    enabled: !!sourceId,
    refetchInterval: (q) => (q.state.data?.some((r) => isActiveRun(r.status)) ? POLL_MS : false),
  });
  useRefreshWhenSettled(!!runs.data?.some((r) => isActiveRun(r.status)));
  return runs;
}

/**
 * One run's log. `known` is the run as a list showed it: a finished run never changes, so it is
 * not fetched again; a queued or running one is fetched every 2 s until it ends.
 */
export function useHarvestRun(id: string | undefined, known?: HarvestRunDto) {
  const run = useQuery({
    queryKey: runKey(id ?? ''),
    queryFn: () => get<HarvestRunDto>(`/api/catalog/harvest/runs/${id}`),
    enabled: !!id,
    initialData: known?.id === id ? known : undefined,
    staleTime: (q) => (isActiveRun(q.state.data?.status) ? 0 : Number.POSITIVE_INFINITY),
    refetchInterval: (q) => (isActiveRun(q.state.data?.status) ? POLL_MS : false),
  });
  useRefreshWhenSettled(isActiveRun(run.data?.status));
  return run;
}

function useSourceMutation<TInput>(fn: (input: TInput) => Promise<HarvestSourceDto>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (source) => {
      client.setQueryData([...SOURCES, source.id], source);
      await client.invalidateQueries({ queryKey: SOURCES, exact: true });
    },
  });
}

export const useCreateHarvestSource = () =>
  useSourceMutation((body: CreateHarvestSourceInput) =>
    post<HarvestSourceDto>('/api/catalog/harvest/sources', body),
  );

export const useUpdateHarvestSource = () =>
  useSourceMutation(({ id, ...body }: UpdateHarvestSourceInput & { id: string }) =>
    patch<HarvestSourceDto>(`/api/catalog/harvest/sources/${id}`, body),
  );

/** Deactivates a source (its runs and datasets stay; a queued run is cancelled). */
export function useDeactivateHarvestSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => del(`/api/catalog/harvest/sources/${id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: SOURCES }),
  });
}

/** "Run now": the queued run (or the one already queued or running) is shown at once, then polled. */
export function useRunHarvestSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (sourceId: string) =>
      post<HarvestRunRequestedDto>(`/api/catalog/harvest/sources/${sourceId}/run`),
    onSuccess: async ({ run }) => {
      client.setQueryData(runKey(run.id), run);
      client.setQueryData<HarvestSourceDto[]>(SOURCES, (sources) =>
        sources?.map((s) => (s.id === run.sourceId ? { ...s, lastRun: run } : s)),
      );
      await client.invalidateQueries({ queryKey: SOURCES });
    },
  });
}
