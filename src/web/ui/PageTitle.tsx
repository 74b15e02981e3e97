import { Typography } from 'antd';
import { type ReactNode, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

// The first page a visitor loads keeps the browser's natural focus; after that, every client-side
// navigation moves focus to the new page's heading so screen readers announce it (no page reload).
let firstPageShown = false;

/** The page's one <h1>, which also sets the document title. */
export function PageTitle({ title, extra }: { title: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('common.appName')}`;
  }, [title, t]);
  useEffect(() => {
    if (firstPageShown) ref.current?.focus({ preventScroll: false });
    firstPageShown = true;
  }, []);
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 16, flexWrap: 'wrap', marginBottom: 16 }}>
      <Typography.Title
        level={1}
        ref={ref}
        tabIndex={-1}
        className="page-title"
        style={{ margin: 0, fontSize: 24, flex: 1 }}
      >
        {title}
      </Typography.Title>
      {extra}
    </div>
  );
}
