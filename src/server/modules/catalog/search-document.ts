import { type RawBuilder, sql } from 'kysely';
import { indexText } from '../../platform/text/index.ts';
import type { DatasetFields } from './catalog-rules.ts';
import type { SearchColumns } from './dataset.repository.ts';

/** What a resource's search document is made of, besides its editable fields. */
export interface SearchContext {
  departmentNameZh: string;
  departmentNameEn: string;
  themeNameZh?: string | null | undefined;
  themeNameEn?: string | null | undefined;
}

/**
 * The analysed text of a resource, one `simple` (jieba tokens, codes) and one `english` half per
 * weight: titles and codes (A) rank above keywords and theme (B), the description (C), and the data
 * items and department name (D). Plus the plain text that trigram matching looks at.
 */
export interface SearchDocument {
  simple: [string, string, string, string];
  english: [string, string, string, string];
  text: string;
}

export type SearchableFields = Pick<
  DatasetFields,
  'name' | 'titleZh' | 'titleEn' | 'descriptionZh' | 'descriptionEn' | 'keywords' | 'dataItems'
> & { resourceCode: string };

/** Analyses a resource's text for the index (jieba runs here, in Node). */
export function searchDocumentOf(f: SearchableFields, c: SearchContext): SearchDocument {
  const title = [f.titleZh, f.titleEn, f.name.replaceAll(/[-_]/g, ' '), f.resourceCode].join(' ');
  const keywords = [...f.keywords, c.themeNameZh ?? '', c.themeNameEn ?? ''].join(' ');
  const description = `${f.descriptionZh} ${f.descriptionEn}`;
  const items = f.dataItems.map((i) => `${i.name} ${i.description ?? ''}`).join(' ');
  const halves = [title, keywords, description, `${items} ${c.departmentNameZh} ${c.departmentNameEn}`].map(
    indexText,
  );
  return {
    simple: halves.map((h) => h.simple) as SearchDocument['simple'],
    english: halves.map((h) => h.english) as SearchDocument['english'],
    // Trigram matching covers what people type into a search box: titles, names, codes, keywords.
    text: [f.titleZh, f.titleEn, f.name, f.resourceCode, ...f.keywords].join(' ').toLowerCase(),
  };
}

const WEIGHTS = ['A', 'B', 'C', 'D'] as const;

/** The tsvector expression over four simple and four english texts (values or column references). */
export function vectorSql(simple: readonly unknown[], english: readonly unknown[]): RawBuilder<unknown> {
  const parts = WEIGHTS.map(
    (w, i) =>
      sql`setweight(to_tsvector('simple', ${simple[i]}), ${sql.lit(w)}) || setweight(to_tsvector('english', ${english[i]}), ${sql.lit(w)})`,
  );
  return sql`(${sql.join(parts, sql` || `)})`;
}

/**
 * The search columns of a resource, computed in the statement that writes it: the index changes in
 * the same transaction as the edit, so search is never behind.
 */
export function searchColumnsOf(f: SearchableFields, c: SearchContext): SearchColumns {
  const doc = searchDocumentOf(f, c);
  return { vector: vectorSql(doc.simple, doc.english), text: doc.text };
}
