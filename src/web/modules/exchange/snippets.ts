// Example gateway calls for a grant's holder, ready to paste into a terminal. The credential is a
// shell variable so it does not land in shell history or screenshots.

export interface SnippetInput {
  origin: string;
  distributionId: string;
  /** A granted column to look people or businesses up by (a subject column when there is one). */
  lookupField: string | undefined;
  /** The grant's own row filter, to show the records call's filters parameter. */
  rowFilter: Record<string, string>;
}

/** Quotes a value for a POSIX shell (single quotes, embedded ones closed and escaped). */
export const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

const HEADERS = [
  '-H "Authorization: Bearer $CIVITAS_CREDENTIAL"',
  `-H ${shellQuote('X-Civitas-Purpose: <purpose of this call>')}`,
  `-H ${shellQuote('X-Civitas-Case: <case number>')}`,
];

/** curl commands for the grant description, a once-only lookup and a page of records. */
export function gatewaySnippets(input: SnippetInput) {
  const base = `${input.origin.replace(/\/$/, '')}/exchange/v1`;
  const resource = `${base}/resources/${input.distributionId}`;
  const join = (url: string) => ['curl', ...HEADERS, shellQuote(url)].join(' \\\n  ');
  const filters = Object.keys(input.rowFilter).length
    ? `filters=${encodeURIComponent(JSON.stringify(input.rowFilter))}&`
    : '';
  return {
    grant: ['curl', HEADERS[0], shellQuote(`${base}/grant`)].join(' \\\n  '),
    lookup: input.lookupField
      ? join(`${resource}/lookup?field=${encodeURIComponent(input.lookupField)}&value=<value>`)
      : undefined,
    records: join(`${resource}/records?${filters}limit=100&offset=0`),
  };
}
