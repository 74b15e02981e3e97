import { App, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { patch } from '../app/api.ts';
import { useMe } from '../app/auth.ts';
import { applyLanguage, type Language } from '../app/i18n.ts';

const CHOICES: { lang: Language; label: string }[] = [
  { lang: 'zh-CN', label: '中文' },
  { lang: 'en', label: 'English' },
];

/** 中文 / English: remembered on this device and, when signed in, in the person's profile. */
export function LanguageSwitch({ inverted = false }: { inverted?: boolean }) {
  const { t, i18n } = useTranslation();
  const { data: me } = useMe();
  const { message } = App.useApp();

  const choose = async (lang: Language) => {
    await applyLanguage(lang);
    if (me) {
      try {
        await patch('/api/me', { locale: lang });
      } catch {
        // The interface has switched already; only the profile default failed to save.
        message.warning(t('language.notSaved'));
      }
    }
  };

  return (
    <Space.Compact role="group" aria-label={t('language.label')}>
      {CHOICES.map(({ lang, label }) => {
        const current = i18n.language === lang;
        return (
          <Button
            key={lang}
            lang={lang}
            size="small"
            type={current ? 'primary' : 'default'}
            ghost={inverted && !current}
            // On the red header the chosen language is a white chip with red text.
            style={
              inverted && current ? { background: '#fff', color: '#8c0d0d', borderColor: '#fff' } : undefined
            }
            aria-pressed={current}
            onClick={() => void choose(lang)}
          >
            {label}
          </Button>
        );
      })}
    </Space.Compact>
  );
}
