import type { TFunction } from 'i18next';

// Length limits of the DataStore's forms. A text box with maxLength cuts what a steward pastes
// without a word, so the boxes take the whole text, show the count near the limit, and say what is
// too long; nothing is saved until it fits. Lengths are counted in characters (code points), as
// the server's JSON Schema counts them, so a Chinese character or an emoji is one.

/** Characters in a text, as JSON Schema's maxLength counts them. */
export const charCount = (text: string) => [...text].length;

/** The error of a text longer than `max` characters, or undefined when it fits. */
export function tooLong(t: TFunction, text: string | undefined, max: number): string | undefined {
  const count = charCount(text ?? '');
  return count > max ? t('datastore.form.tooLong', { max, count }) : undefined;
}

/** antd's `count` for an input limited to `max` characters: the figure shows from 80% of the limit, nothing is cut. */
export const countOf = (max: number) => ({
  max,
  strategy: charCount,
  show: ({ count }: { count: number }) => (count >= max * 0.8 ? `${count} / ${max}` : null),
});

/** A form rule refusing texts longer than `max` characters, with the same words as the boxes outside forms. */
export const maxRule = (t: TFunction, max: number) => ({
  validator: async (_: unknown, value: unknown) => {
    const problem = typeof value === 'string' ? tooLong(t, value, max) : undefined;
    if (problem) throw new Error(problem);
  },
});
