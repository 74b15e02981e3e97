import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources } from './locales/index.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'civitas.lang';

/** Maps any locale tag (a profile's "en-GB", the browser's "zh-Hans-CN") to a supported language. */
export function toLanguage(tag: string | null | undefined): Language | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return undefined;
}

function readStoredLanguage(): Language | undefined {
  try {
    return toLanguage(localStorage.getItem(STORAGE_KEY));
  } catch {
    return undefined;
  }
}

/** The language to start in: the person's last choice, else the browser's, else Chinese. */
export function initialLanguage(): Language {
  return readStoredLanguage() ?? toLanguage(navigator.language) ?? 'zh-CN';
}

/** Switches the interface language and remembers it on this device. */
export async function applyLanguage(lang: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode or storage disabled: the choice still holds for this page.
  }
  document.documentElement.lang = lang;
  if (i18n.language !== lang) await i18n.changeLanguage(lang);
}

/** Whether the person has chosen a language on this device (then it wins over the profile's). */
export const hasStoredLanguage = () => readStoredLanguage() !== undefined;

const lang = initialLanguage();
document.documentElement.lang = lang;

void i18n.use(initReactI18next).init({
  lng: lang,
  fallbackLng: 'zh-CN',
  supportedLngs: [...LANGUAGES],
  resources,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export default i18n;
