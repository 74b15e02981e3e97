import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, type ThemeConfig } from 'antd';
import type { Locale } from 'antd/es/locale/index.js';
import enUSModule from 'antd/locale/en_US.js';
import zhCNModule from 'antd/locale/zh_CN.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError, setCsrfToken } from './api.ts';
import { ME_KEY, useMe } from './auth.ts';
import { applyLanguage, hasStoredLanguage, toLanguage } from './i18n.ts';
import { router } from './router.tsx';

// antd ships its locales as CommonJS with `exports.default`; depending on the interop rules a default
// import yields the locale or the module object holding it. Accept both.
const unwrap = (m: unknown): Locale =>
  (m && typeof m === 'object' && 'default' in m ? (m as { default: Locale }).default : m) as Locale;
const enUS = unwrap(enUSModule);
const zhCN = unwrap(zhCNModule);

/** A request found the session gone (expired, signed out elsewhere): forget the person, so guards send them to sign in. */
function onSessionLost(err: unknown) {
  if (err instanceof ApiError && err.code === 'auth.unauthenticated') {
    setCsrfToken(null);
    queryClient.setQueryData(ME_KEY, null);
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onSessionLost }),
  mutationCache: new MutationCache({ onError: onSessionLost }),
  defaultOptions: {
    queries: {
      // 4xx answers will not change on retry; only flaky networks deserve a second try.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// Ant Design's default blue and grey texts fall below WCAG AA contrast on white (about 4.0:1 and
// 3.4:1); these keep every text at 4.5:1 or more. Tags use the status colours (success, warning,
// processing, error), which follow these tokens; the preset palette ones (green, orange…) do not.
const theme: ThemeConfig = {
  token: {
    colorPrimary: '#0050b3',
    colorLink: '#0050b3',
    colorInfo: '#0050b3',
    colorError: '#c41d1d',
    colorSuccess: '#2f7a0c',
    colorWarning: '#ad6800',
    // Derived from the darker seeds above, antd's status backgrounds come out greyish and too dark
    // behind status text (2.7:1); these light tints keep tag text at 4.5:1 or more.
    colorSuccessBg: '#f0f8eb',
    colorSuccessBorder: '#b7dba3',
    colorWarningBg: '#fff7e6',
    colorWarningBorder: '#ffd591',
    colorErrorBg: '#fff1f0',
    colorErrorBorder: '#ffa39e',
    colorInfoBg: '#e6f4ff',
    colorInfoBorder: '#91caff',
    colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.62)',
    colorTextDescription: 'rgba(0, 0, 0, 0.62)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 6,
    // People who ask their system for less motion get none (WCAG 2.3.3).
    motion: !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif",
  },
};

/** Ant Design follows the interface language (dates, pagination, empty states). */
function LocalisedApp() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  const { data: me } = useMe();
  // On a device where the person never chose, the language saved in their profile wins.
  useEffect(() => {
    const preferred = toLanguage(me?.locale);
    if (preferred && !hasStoredLanguage()) void applyLanguage(preferred);
  }, [me?.locale]);
  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
  }, [english]);
  return (
    // No auto-inserted space in two-character Chinese buttons ("登 录"): it changes the accessible name.
    <ConfigProvider locale={english ? enUS : zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

/** Everything the pages rely on: data cache, design system, router. */
export function Providers() {
  return (
    <QueryClientProvider client={queryClient}>
      <LocalisedApp />
    </QueryClientProvider>
  );
}
