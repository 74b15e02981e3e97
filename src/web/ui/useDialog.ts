import { useState } from 'react';

/**
 * Open/close state of a modal dialog plus a key that changes on every opening. Render the dialog
 * with that key: each opening then starts from a fresh form (no values left from a cancelled try),
 * while closing keeps it mounted so the closing animation runs and focus returns to the trigger.
 */
export function useDialog<T = undefined>() {
  const [state, setState] = useState<{ open: boolean; value: T | undefined; key: number }>({
    open: false,
    value: undefined,
    key: 0,
  });
  return {
    open: state.open,
    /** What the dialog is about (kept while it closes, so its content does not blank out). */
    value: state.value,
    key: state.key,
    show: (value?: T) => setState((s) => ({ open: true, value, key: s.key + 1 })),
    hide: () => setState((s) => ({ ...s, open: false })),
  };
}
