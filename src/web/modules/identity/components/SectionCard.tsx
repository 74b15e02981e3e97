import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** A card whose title is a real <h2>, so the page's outline reads well in screen readers. */
export function SectionCard({
  title,
  children,
  extra,
}: {
  title: string;
  children: ReactNode;
  extra?: ReactNode;
}) {
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
          {title}
        </Typography.Title>
      }
      extra={extra}
      style={{ height: '100%' }}
    >
      {children}
    </Card>
  );
}
