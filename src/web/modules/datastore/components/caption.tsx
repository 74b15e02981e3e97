import type { TableProps } from 'antd';
import { type HTMLAttributes, useMemo } from 'react';
import '../datastore.css';

/**
 * Table components for an Ant Design table whose <table> carries a <caption> (screen readers announce
 * it when they enter the table). Memoised: a new object each render would remount the table body.
 */
export function useCaption<T>(caption: string): TableProps<T>['components'] {
  return useMemo(
    () => ({
      table: ({ children, ...props }: HTMLAttributes<HTMLTableElement>) => (
        <table {...props}>
          <caption className="datastore-caption">{caption}</caption>
          {children}
        </table>
      ),
    }),
    [caption],
  );
}
