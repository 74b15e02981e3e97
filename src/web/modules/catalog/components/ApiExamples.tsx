import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DatasetDto } from '../../../../contracts/catalog.ts';
import { CodeBlock } from './CodeBlock.tsx';

/** Where a file is downloaded (counted); links and APIs are redirected through the same address. */
export const downloadPath = (distributionId: string) =>
  `/api/catalog/distributions/${distributionId}/download`;

const DCAT_FORMATS = [
  { ext: 'ttl', label: 'Turtle', type: 'text/turtle' },
  { ext: 'jsonld', label: 'JSON-LD', type: 'application/ld+json' },
  { ext: 'rdf', label: 'RDF/XML', type: 'application/rdf+xml' },
] as const;

/** How developers use a resource: curl for the CKAN API and the downloads, and its DCAT metadata. */
export function ApiExamples({ dataset }: { dataset: DatasetDto }) {
  const { t } = useTranslation();
  const origin = window.location.origin;
  const name = encodeURIComponent(dataset.name);
  const file = dataset.distributions.find((d) => d.kind === 'file') ?? dataset.distributions[0];
  return (
    <>
      <Typography.Paragraph>{t('catalog.api.intro')}</Typography.Paragraph>
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('catalog.api.ckan')}
      </Typography.Title>
      <CodeBlock
        label={t('catalog.api.ckan')}
        code={`curl '${origin}/api/3/action/package_show?id=${name}'`}
      />
      {file && (
        <>
          <Typography.Title level={3} style={{ fontSize: 15 }}>
            {t('catalog.api.download')}
          </Typography.Title>
          <CodeBlock
            label={t('catalog.api.download')}
            code={`curl -L -OJ '${origin}${downloadPath(file.id)}'`}
          />
        </>
      )}
      <Typography.Title level={3} style={{ fontSize: 15 }}>
        {t('catalog.api.dcat')}
      </Typography.Title>
      <Typography.Paragraph>
        {t('catalog.api.dcatIntro')}{' '}
        {DCAT_FORMATS.map((f, i) => (
          <span key={f.ext}>
            {i > 0 && ' · '}
            <a href={`/dataset/${name}.${f.ext}`} type={f.type}>
              {f.label}
            </a>
          </span>
        ))}{' '}
        · <a href="/catalog.ttl">{t('catalog.api.wholeCatalog')}</a>
      </Typography.Paragraph>
    </>
  );
}
