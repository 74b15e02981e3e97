import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CodeBlock } from '../../catalog/components/CodeBlock.tsx';
import { apiSnippets } from '../query.ts';

/** How developers read a table: curl for datastore_search, datastore_search_sql and the dump, and Python. */
export function ApiSnippets({ distributionId }: { distributionId: string }) {
  const { t } = useTranslation();
  const snippets = apiSnippets(window.location.origin, distributionId);
  const blocks = [
    ['search', t('datastore.api.search'), snippets.search],
    ['sql', t('datastore.api.sql'), snippets.sql],
    ['dump', t('datastore.api.dump'), snippets.dump],
    ['python', t('datastore.api.python'), snippets.python],
  ] as const;
  return (
    <>
      <Typography.Paragraph>
        {t('datastore.api.intro')} <code>{distributionId}</code>
      </Typography.Paragraph>
      {blocks.map(([key, title, code]) => (
        <div key={key}>
          <Typography.Title level={4} style={{ fontSize: 14 }}>
            {title}
          </Typography.Title>
          <CodeBlock label={title} code={code} />
        </div>
      ))}
    </>
  );
}
