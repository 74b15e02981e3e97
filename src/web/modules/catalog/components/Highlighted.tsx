import { Fragment } from 'react';

/**
 * Text with the search's matches marked. The server sends plain segments, never markup, so nothing
 * a steward typed can turn into HTML here.
 */
export function Highlighted({
  segments,
  fallback,
}: {
  segments: readonly { text: string; match: boolean }[] | undefined;
  fallback: string;
}) {
  if (!segments || segments.length === 0) return <>{fallback}</>;
  // Segments are positional: the same text may repeat, so the position is the only stable key.
  return (
    <>
      {segments.map((s, i) =>
        s.match ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments never reorder
          <mark key={i} className="catalog-mark">
            {s.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments never reorder
          <Fragment key={i}>{s.text}</Fragment>
        ),
      )}
    </>
  );
}
