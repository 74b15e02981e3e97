import type { ColumnType } from 'kysely';

// Column types shared by the table types (db-schema*.ts): how a column reads, inserts and updates.

export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
// Kysely 0.29's Generated<T> wraps rather than unwraps a ColumnType (selecting would yield the wrapper
// type), so columns with a default use this instead: optional on insert, Date on select.
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A json/jsonb column: written as its JSON text, read parsed. */
export type Json<T> = ColumnType<T, string | undefined, string>;
export type TextArray = ColumnType<string[], string[] | undefined, string[]>;
/** A date column read as its ISO text. */
export type DateText = ColumnType<string, string, string>;
