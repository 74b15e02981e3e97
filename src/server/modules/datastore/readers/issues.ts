import type { LoadIssue, LoadIssueKind } from './types.ts';

const MAX_EXAMPLES = 100;
const MAX_SAMPLE = 200;

/**
 * Collects issues while rows stream: every occurrence is counted, but only the first examples are
 * kept so that a file with a million ragged rows does not hold a million messages.
 */
export class IssueLog {
  readonly examples: LoadIssue[] = [];
  readonly counts = new Map<LoadIssueKind, number>();

  /** Records one occurrence of an issue. */
  add(issue: LoadIssue): void {
    this.counts.set(issue.kind, (this.counts.get(issue.kind) ?? 0) + 1);
    if (this.examples.length < MAX_EXAMPLES) {
      this.examples.push(issue.sample === undefined ? issue : { ...issue, sample: clip(issue.sample) });
    }
  }

  /** How often an issue kind occurred, beyond the kept examples. */
  count(kind: LoadIssueKind): number {
    return this.counts.get(kind) ?? 0;
  }
}

/** Shortens a sample for display. */
export function clip(text: string): string {
  return text.length > MAX_SAMPLE ? `${text.slice(0, MAX_SAMPLE)}…` : text;
}

/** Reports empty and duplicate header labels and the title rows skipped above the header. */
export function reportHeader(log: IssueLog, labels: string[], titleRows: string[]): void {
  for (const title of titleRows) {
    log.add({
      kind: 'title_row',
      message: 'A title line above the header was skipped',
      params: {},
      sample: title,
    });
  }
  const seen = new Set<string>();
  labels.forEach((label, i) => {
    if (label === '') {
      log.add({
        kind: 'empty_header',
        column: `#${i + 1}`,
        message: `Column ${i + 1} has no header label`,
        params: { position: i + 1 },
      });
    } else if (seen.has(label)) {
      log.add({
        kind: 'duplicate_header',
        column: label,
        message: `The header label "${label}" appears more than once (column ${i + 1})`,
        params: { label, position: i + 1 },
      });
    }
    seen.add(label);
  });
}
