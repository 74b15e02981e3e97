import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  PASSPHRASE_LENGTH,
  PASSWORD_MIN_CLASSES,
  PASSWORD_MIN_LENGTH,
} from '../../contracts/password-policy.ts';
import { ApiError } from './api.ts';

/** Figures the password messages quote. */
export const POLICY = {
  min: PASSWORD_MIN_LENGTH,
  classes: PASSWORD_MIN_CLASSES,
  passphrase: PASSPHRASE_LENGTH,
};

/** Localised text for an error: the API code's translation, else the server's own message. */
export function errorText(t: TFunction, err: unknown): string {
  if (err instanceof ApiError) {
    // The server names each broken password rule; say which, in the person's language.
    const reasons = err.details?.reasons;
    if (err.code === 'identity.weak_password' && Array.isArray(reasons) && reasons.length > 0) {
      return reasons.map((r) => t(`password.${String(r)}`, POLICY)).join(t('common.listSeparator'));
    }
    const lockedUntil = err.details?.lockedUntil;
    const time = typeof lockedUntil === 'string' ? new Date(lockedUntil).toLocaleString() : '';
    return t(`errors.${err.code}`, { defaultValue: err.message || t('errors.unknown'), time });
  }
  return err instanceof Error && err.message ? err.message : t('errors.unknown');
}

/** errorText bound to the current language. */
export function useErrorText() {
  const { t } = useTranslation();
  return (err: unknown) => errorText(t, err);
}

/**
 * Puts a server error on the form fields it concerns: schema violations name their fields, and
 * `codeFields` maps domain codes (e.g. a taken username) to a field. Returns whether any field got it,
 * so the caller shows a form-level message otherwise.
 */
export function applyFieldErrors(
  t: TFunction,
  form: FormInstance,
  err: unknown,
  codeFields: Record<string, string> = {},
): boolean {
  if (!(err instanceof ApiError)) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) as object));
  const fields: { name: string; errors: string[] }[] = [];
  const mapped =
    codeFields[err.code] ?? (typeof err.details?.field === 'string' ? err.details.field : undefined);
  if (mapped) fields.push({ name: mapped, errors: [errorText(t, err)] });
  for (const f of err.fieldErrors) {
    if (known.has(f.field)) {
      fields.push({ name: f.field, errors: [t('errors.field_invalid', { detail: f.message })] });
    }
  }
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}
