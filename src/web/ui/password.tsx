import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  PASSPHRASE_LENGTH,
  PASSWORD_MIN_CLASSES,
  PASSWORD_MIN_LENGTH,
  passwordProblems,
} from '../../contracts/password-policy.ts';
import { POLICY } from '../app/errors.ts';
import { VisuallyHidden } from './VisuallyHidden.tsx';

/** The reasons a password is refused, in the interface language (same rules the server enforces). */
export function passwordProblemText(t: TFunction, password: string, username?: string): string[] {
  return passwordProblems(password, username).map((reason) => t(`password.${reason}`, POLICY));
}

/**
 * An antd form rule applying the shared password policy. `username` is the account's name, or
 * `{ field }` to read it from the same form while it is being typed.
 */
export function passwordRule(t: TFunction, username?: string | { field: string }): FormRule {
  return ({ getFieldValue }) => ({
    validator: async (_rule, value: string | undefined) => {
      if (!value) return;
      const name =
        typeof username === 'object' ? (getFieldValue(username.field) as string | undefined) : username;
      const problems = passwordProblemText(t, value, name);
      if (problems.length > 0) throw new Error(problems.join(t('common.listSeparator')));
    },
  });
}

/** An antd form rule: this field must repeat the password typed in `field`. */
export function confirmPasswordRule(t: TFunction, field: string): FormRule {
  return ({ getFieldValue }) => ({
    validator: async (_rule, value: string | undefined) => {
      if (value && value !== getFieldValue(field)) throw new Error(t('validation.passwordMismatch'));
    },
  });
}

/** The policy as a checklist that fills in while the person types. */
export function PasswordHints({
  password,
  username,
  id,
}: {
  password: string;
  username?: string;
  id?: string;
}) {
  const { t } = useTranslation();
  const problems = new Set(passwordProblems(password, username));
  const rules = [
    { ok: !problems.has('too_short'), text: t('password.hintLength', { min: PASSWORD_MIN_LENGTH }) },
    {
      ok: !problems.has('too_few_classes'),
      text: t('password.hintClasses', { classes: PASSWORD_MIN_CLASSES, passphrase: PASSPHRASE_LENGTH }),
    },
    {
      ok: password.length > 0 && !problems.has('contains_username') && !problems.has('common'),
      text: t('password.hintCommon'),
    },
  ];
  return (
    <ul id={id} style={{ listStyle: 'none', padding: 0, margin: '0 0 16px', fontSize: 13 }}>
      {rules.map((rule) => (
        <li key={rule.text} style={{ color: rule.ok ? '#2f7a0c' : 'rgba(0,0,0,0.68)' }}>
          {rule.ok ? <CheckCircleFilled aria-hidden /> : <CloseCircleOutlined aria-hidden />}{' '}
          <span>{rule.text}</span>
          <VisuallyHidden>{rule.ok ? t('password.met') : t('password.notMet')}</VisuallyHidden>
        </li>
      ))}
    </ul>
  );
}
