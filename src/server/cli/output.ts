// Terminal output helpers shared by the CLI and the server start-up banner.

// East Asian wide characters take two terminal columns; padding by string length would misalign them.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

/** Columns a string occupies in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

/** A plain-text table with a header row and a rule under it. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The demo accounts, printed at start-up and by `civitas demo`. */
export function formatDemoAccounts(
  accounts: { username: string; password: string; description: string }[],
): string {
  return formatTable(
    ['username', 'password', 'who'],
    accounts.map((a) => [a.username, a.password, a.description]),
  );
}

/** A database URL without its password, for messages. */
export function describeDatabase(databaseUrl: string | undefined, dataDir: string): string {
  if (!databaseUrl) return `embedded PGlite in ${dataDir}`;
  const u = new URL(databaseUrl);
  u.password = '';
  return `PostgreSQL ${u.host}${u.pathname}`;
}
