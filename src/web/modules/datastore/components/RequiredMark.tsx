import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A required field's label: the word "required" in the label's text, so screen readers and people
 * who cannot tell red from black hear and see it (the controls also carry aria-required).
 */
export function RequiredLabel({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      {children}
      <span className="datastore-required">{t('datastore.form.required')}</span>
    </>
  );
}

/** antd Form's requiredMark: the visible word instead of a bare red asterisk. */
export const requiredMark = (label: ReactNode, { required }: { required: boolean }) =>
  required ? <RequiredLabel>{label}</RequiredLabel> : label;
