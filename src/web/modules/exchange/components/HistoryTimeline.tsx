import { Empty, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Static } from 'typebox';
import type { HistoryEntrySchema } from '../../../../contracts/exchange.ts';
import { formatDateTime } from '../../catalog/text.ts';
import { historyActionKey, historySystemActor } from '../display.ts';

type Entry = Static<typeof HistoryEntrySchema>;

/** The events of a request or grant, oldest first, each with who did it and why. */
export function HistoryTimeline({ entries }: { entries: Entry[] | undefined }) {
  const { t, i18n } = useTranslation();
  const systemActorName = (e: Entry) => {
    const key = historySystemActor(e);
    return key ? t(`exchange.history.systemActor.${key}`) : null;
  };
  if (!entries?.length) return <Empty description={t('exchange.history.empty')} />;
  return (
    <Timeline
      items={entries.map((e, i) => ({
        key: `${e.at}-${i}`,
        title: formatDateTime(e.at, i18n.language),
        content: (
          <>
            <Typography.Text strong>
              {/* Unknown events show as the server names them. */}
              {t(`exchange.history.action.${historyActionKey(e)}`, { defaultValue: e.action })}
            </Typography.Text>{' '}
            <Typography.Text type="secondary">
              {t('exchange.history.by', { actor: systemActorName(e) ?? e.actor })}
            </Typography.Text>
            {e.note && (
              <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>
                {e.note}
              </Typography.Paragraph>
            )}
          </>
        ),
      }))}
    />
  );
}
