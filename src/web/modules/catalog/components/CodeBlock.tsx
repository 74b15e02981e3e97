import { CheckOutlined, CopyOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** A command to copy: the text as code, and a button that copies it (named after what it copies). */
export function CodeBlock({ code, label }: { code: string; label: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (insecure origin, permissions): the text is still there to select.
    }
  };
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start', marginBottom: 12 }}>
      <pre className="catalog-code" style={{ flex: 1 }}>
        <code>{code}</code>
      </pre>
      <Button
        size="small"
        icon={copied ? <CheckOutlined aria-hidden /> : <CopyOutlined aria-hidden />}
        aria-label={t('catalog.api.copy', { what: label })}
        onClick={() => void copy()}
      >
        <span aria-live="polite">{copied ? t('common.copied') : t('common.copy')}</span>
      </Button>
    </div>
  );
}
