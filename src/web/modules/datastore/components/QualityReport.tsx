import { Alert, Card, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatastoreQuality } from '../../../../contracts/datastore-quality.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { useQuality } from '../api.ts';
import { completenessHeight } from '../quality.ts';
import { QualityColumns } from './QualityColumns.tsx';
import { QualityCriteria } from './QualityCriteria.tsx';
import { QualityRules } from './QualityRules.tsx';
import { RulesEditor } from './RulesEditor.tsx';
import '../datastore.css';

// ECharts is large: the charts module is fetched only when a report is shown.
const ScoreRing = lazy(() => import('./QualityCharts.tsx').then((m) => ({ default: m.ScoreRing })));
const CompletenessChart = lazy(() =>
  import('./QualityCharts.tsx').then((m) => ({ default: m.CompletenessChart })),
);

type Level = 3 | 4;

/** The score as a big number beside its ring, what it weighs, and the resource's own score. */
function ScoreSummary({ q, level }: { q: DatastoreQuality; level: Level }) {
  const { t, i18n } = useTranslation();
  const total = q.score?.total ?? 0;
  const computed = q.computedAt ? new Date(q.computedAt).toLocaleString(i18n.language) : '';
  return (
    <section aria-labelledby={`${q.distributionId}-score`}>
      <Typography.Title level={level} id={`${q.distributionId}-score`} style={{ fontSize: 16 }}>
        {t('datastore.quality.score.heading')}
      </Typography.Title>
      <div className="datastore-score">
        <Suspense fallback={<div style={{ width: 120, height: 120 }} />}>
          <ScoreRing score={total} />
        </Suspense>
        <div>
          <p className="datastore-score-value">
            {total}
            <span className="datastore-score-out-of">{t('datastore.quality.score.outOf')}</span>
          </p>
          <Typography.Paragraph style={{ maxWidth: 720 }}>
            {t('datastore.quality.score.about')}
          </Typography.Paragraph>
          {q.datasetScore !== null && (
            <Typography.Paragraph>
              {t('datastore.quality.score.dataset', { score: q.datasetScore })}
            </Typography.Paragraph>
          )}
          <Typography.Paragraph type="secondary">
            {t('datastore.quality.computed', {
              version: q.version,
              rows: q.rows.toLocaleString(),
              time: computed,
            })}
          </Typography.Paragraph>
        </div>
      </div>
    </section>
  );
}

/** One part of the report under its own heading (h3 in the console's card, h4 in the portal's tab). */
function Part({
  id,
  title,
  level,
  children,
}: {
  id: string;
  title: string;
  level: Level;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} style={{ marginTop: 24 }}>
      <Typography.Title level={level} id={id} style={{ fontSize: 16 }}>
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

/**
 * A table's quality report: the score and its criteria, completeness by column as a chart and
 * every column's profile, the rule results; with `editable`, the rules editor for its stewards.
 */
export function QualityReport({
  distributionId,
  level = 4,
  editable = false,
}: {
  distributionId: string;
  level?: Level;
  editable?: boolean;
}) {
  const { t } = useTranslation();
  const quality = useQuality(distributionId);
  if (quality.isPending) return <Loading />;
  if (quality.error) return <ErrorAlert error={quality.error} />;
  const q = quality.data;
  const part = (key: string) => `${distributionId}-quality-${key}`;
  const rules = q.rules.map((r) => r.rule);
  return (
    <>
      {q.error && (
        <Alert
          type="warning"
          showIcon
          title={t('datastore.quality.failed', { error: q.error })}
          style={{ marginBottom: 16 }}
        />
      )}
      {q.version === null || !q.score ? (
        !q.error && <Typography.Paragraph>{t('datastore.quality.notYet')}</Typography.Paragraph>
      ) : (
        <>
          <ScoreSummary q={q} level={level} />
          {q.columns.some((c) => c.estimated) && (
            <Alert
              type="info"
              showIcon
              title={t('datastore.quality.estimated')}
              style={{ margin: '12px 0' }}
            />
          )}
          <Part id={part('criteria')} title={t('datastore.quality.criteria.heading')} level={level}>
            <QualityCriteria criteria={q.score.criteria} />
          </Part>
          {q.columns.length > 0 && (
            <Part id={part('completeness')} title={t('datastore.quality.completeness.heading')} level={level}>
              <Suspense fallback={<div style={{ height: completenessHeight(q.columns.length) }} />}>
                <CompletenessChart columns={q.columns} />
              </Suspense>
            </Part>
          )}
          <Part id={part('columns')} title={t('datastore.quality.columns.heading')} level={level}>
            <QualityColumns columns={q.columns} />
          </Part>
          <Part id={part('rules')} title={t('datastore.quality.rules.heading')} level={level}>
            <QualityRules results={q.rules} columns={q.columns} />
          </Part>
        </>
      )}
      {editable && q.canEdit && q.version !== null && (
        // Remounted when the stored rules change (a save, another steward's): drafts start from them.
        <RulesEditor
          key={JSON.stringify(rules)}
          distributionId={distributionId}
          columns={q.columns}
          rules={rules}
        />
      )}
    </>
  );
}

/** The console's quality section: the report with its rules editor, in a card like the page's others. */
export function QualityCard({ distributionId }: { distributionId: string }) {
  const { t } = useTranslation();
  return (
    <Card
      title={<h2 className="card-heading">{t('datastore.quality.title')}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Typography.Paragraph type="secondary">{t('datastore.quality.intro')}</Typography.Paragraph>
      <QualityReport distributionId={distributionId} level={3} editable />
    </Card>
  );
}
