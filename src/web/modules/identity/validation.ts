import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';

// Form rules mirroring the API schemas in contracts/identity.ts, so people learn of a problem
// while typing instead of after a round trip.

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DEPARTMENT_CODE = /^[A-Z0-9][A-Z0-9_-]*$/;
const REGION_CODE = /^\d{6}$/;

export const usernameRules = (t: TFunction): FormRule[] => [
  { required: true, message: t('validation.required') },
  { min: 3, max: 64, message: t('validation.usernameLength') },
  { pattern: USERNAME, message: t('validation.usernameChars') },
];

export const emailRule = (t: TFunction): FormRule => ({ type: 'email', message: t('validation.email') });

export const departmentCodeRules = (t: TFunction): FormRule[] => [
  { required: true, message: t('validation.required') },
  { min: 2, max: 32, message: t('validation.codeLength') },
  { pattern: DEPARTMENT_CODE, message: t('validation.codeChars') },
];

export const regionCodeRule = (t: TFunction): FormRule => ({
  pattern: REGION_CODE,
  message: t('validation.regionCode'),
});
