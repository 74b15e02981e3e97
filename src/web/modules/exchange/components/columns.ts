// Wide tables on a phone scroll sideways inside their region (ScrollRegion) rather than squeezing
// their columns: a column's width is no floor in Chromium's table layout once the table is narrower
// than their sum, so each table keeps a least width, shared out by its columns' widths, and codes,
// times and figures stay on one line.
const NOWRAP = () => ({ style: { whiteSpace: 'nowrap' as const } });

/** Spread into a column: its cells and header never wrap. */
export const oneLine = { onCell: NOWRAP, onHeaderCell: NOWRAP };
