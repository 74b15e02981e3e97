import type { LoadIssue, LoadIssueKind, Sniffed } from './types.ts';

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

/** Where the title rows sit: their file rows, the header's row, and whether the file is a worksheet. */
export interface TitlePlaces {
  rows: number[];
  headerRow: number;
  sheet?: boolean;
}

/** The issue for a title row skipped above the header; `row` is relative to the header, as every reader's. */
export function titleRowIssue(
  title: string,
  at: number | undefined,
  headerRow: number,
  sheet = false,
): LoadIssue {
  if (at === undefined) {
    return {
      kind: 'title_row',
      message: 'A title line above the header was skipped',
      params: {},
      sample: title,
    };
  }
  return {
    kind: 'title_row',
    row: at - headerRow,
    message: `${sheet ? `Sheet row ${at}` : `Line ${at} of the file`}, a title above the header, was skipped`,
    params: { variant: sheet ? 'sheet' : 'line', line: at },
    sample: title,
  };
}

/** Reports empty and duplicate header labels and the title rows skipped above the header. */
export function reportHeader(
  log: IssueLog,
  labels: string[],
  titleRows: string[],
  places?: TitlePlaces,
): void {
  titleRows.forEach((title, i) => {
    log.add(titleRowIssue(title, places?.rows[i], places?.headerRow ?? 0, places?.sheet));
  });
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

/** The title rows a sniffed delimited file skips, as issues on the file's own rows (for the COPY fast path, which reads no rows itself). */
export function sniffedTitleIssues(sniffed: Sniffed): LoadIssue[] {
  const headerRow = sniffed.headerRow ?? 1;
  return sniffed.titleRows.map((title, i) => {
    const issue = titleRowIssue(title, sniffed.titleRowNumbers?.[i], headerRow);
    return issue.row === undefined ? issue : { ...issue, row: issue.row + headerRow };
  });
}
