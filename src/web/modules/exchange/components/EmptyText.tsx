import type { ReactNode } from 'react';

/** An empty table's text, dark enough to read (antd's default grey reaches only 1.8:1). */
export function EmptyText({ children }: { children: ReactNode }) {
  return <span style={{ color: 'rgba(0, 0, 0, 0.62)' }}>{children}</span>;
}
