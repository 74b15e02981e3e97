import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SetOverrideInput, WorkingDayDto, WorkingDaysPageDto } from '../../../contracts/calendar.ts';
import { api, del, get, query } from '../../app/api.ts';

/** Each day of a range as deadlines count it (platform admins). */
export const useWorkingDays = (from: string, to: string) =>
  useQuery({
    queryKey: ['working-days', from, to],
    queryFn: () => get<WorkingDaysPageDto>(`/api/admin/working-days${query({ from, to })}`),
  });

function useCalendarMutation<TInput, TResult>(fn: (input: TInput) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: ['working-days'] }),
  });
}

/** Makes a day a working day or a day off, whatever the official calendar says. */
export const useSetOverride = () =>
  useCalendarMutation(({ day, ...body }: SetOverrideInput & { day: string }) =>
    api<WorkingDayDto>('PUT', `/api/admin/working-days/${day}`, body),
  );

/** Removes a day's override: the official calendar counts again. */
export const useClearOverride = () =>
  useCalendarMutation((day: string) => del(`/api/admin/working-days/${day}`));
