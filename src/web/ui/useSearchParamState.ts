import { useSearchParams } from 'react-router';

/**
 * A list page's filters and page number kept in the address (shareable, restored by Back): the
 * current parameters, and `update` which sets the given ones (an empty value removes one) in place
 * of the current history entry.
 */
export function useSearchParamState() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };
  return { params, update };
}
