// Small pure helpers for showing catalog data in the interface language.

/** A bilingual text in the interface language, falling back to the other when it is empty. */
export function pickLang(
  zh: string | null | undefined,
  en: string | null | undefined,
  language: string,
): string {
  const first = language === 'en' ? en : zh;
  const second = language === 'en' ? zh : en;
  return first?.trim() ? first : (second ?? '');
}

/** A resource's title in the interface language. */
export const titleOf = (d: { titleZh: string; titleEn: string }, language: string) =>
  pickLang(d.titleZh, d.titleEn, language);

/** A department or theme name in the interface language. */
export const nameOf = (d: { nameZh: string; nameEn: string }, language: string) =>
  pickLang(d.nameZh, d.nameEn, language);

/** A facet value's label in the interface language (the server gives both). */
export const facetLabel = (f: { label: string; labelEn: string }, language: string) =>
  pickLang(f.label, f.labelEn, language);

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** An ISO timestamp as a local date (2026-11-22); dates without time stay as they are. */
export function formatDate(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(language === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
}

/** An ISO timestamp as local date and time. */
export function formatDateTime(iso: string | null | undefined, language: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(language === 'en' ? 'en-GB' : 'zh-CN');
}
