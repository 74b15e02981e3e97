import type { ReactNode } from 'react';

/**
 * A wide table's own scroll container, reachable by keyboard: focusable and named, so keyboard
 * users can scroll it with the arrow keys (WCAG 2.1.1; axe's scrollable-region-focusable). Use it
 * instead of the table's `scroll` prop when the table has no focusable content of its own.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable to be scrolled by keyboard
    <section className="scroll-region" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}
