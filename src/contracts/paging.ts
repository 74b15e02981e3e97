import { type TSchema, Type } from 'typebox';

// Paged lists: the query parameters that choose a page, and the page a list answers with.

/** The `page` and `pageSize` query parameters (spread into a query schema), pages of at most `maxPageSize`. */
export const pageParams = (maxPageSize: number) => ({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: maxPageSize })),
});

/** One page of a list: its items, the total across all pages, and which page of what size it is. */
export const pageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Number(),
    page: Type.Number(),
    pageSize: Type.Number(),
  });
