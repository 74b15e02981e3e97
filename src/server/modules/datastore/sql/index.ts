export {
  DEFAULT_MAX_SQL_LENGTH,
  type GuardedSql,
  guardSearchSql,
  loadSqlParser,
  type ResolveTable,
} from './search-sql.guard.ts';
export {
  type RunSearchSqlOptions,
  runSearchSql,
  type SearchSqlField,
  type SearchSqlResult,
} from './search-sql.run.ts';
