import { CaretRightOutlined, EditOutlined, PoweroffOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { HarvestRunDto, HarvestSourceDto } from '../../../../../contracts/harvest.ts';
import { useErrorText } from '../../../../app/errors.ts';
import { useDeactivateHarvestSource, useRunHarvestSource, useUpdateHarvestSource } from '../api.ts';

/**
 * Run now, edit, and deactivate or reactivate a source. `compact` (table rows) uses small buttons
 * whose accessible names say which source they act on.
 */
export function SourceActions({
  source,
  compact = false,
  onEdit,
  onRunQueued,
}: {
  source: HarvestSourceDto;
  compact?: boolean;
  onEdit: () => void;
  onRunQueued?: (run: HarvestRunDto) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const run = useRunHarvestSource();
  const update = useUpdateHarvestSource();
  const deactivate = useDeactivateHarvestSource();
  const size = compact ? 'small' : 'middle';
  const named = (key: string) => (compact ? t(key, { title: source.title }) : undefined);

  const runNow = async () => {
    try {
      const requested = await run.mutateAsync(source.id);
      message.info(requested.created ? t('catalog.harvest.runQueued') : t('catalog.harvest.runAlready'));
      onRunQueued?.(requested.run);
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const reactivate = async () => {
    try {
      await update.mutateAsync({ id: source.id, active: true });
      message.success(t('catalog.harvest.reactivated'));
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const confirmDeactivate = () =>
    modal.confirm({
      title: t('catalog.harvest.deactivateConfirm', { title: source.title }),
      content: t('catalog.harvest.deactivateIntro'),
      okText: t('catalog.harvest.deactivate'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await deactivate.mutateAsync(source.id);
          message.success(t('catalog.harvest.deactivated'));
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });

  return (
    <Space size={compact ? 4 : 8} wrap>
      <Button
        size={size}
        type={compact ? 'default' : 'primary'}
        icon={<CaretRightOutlined aria-hidden />}
        disabled={!source.active}
        loading={run.isPending}
        onClick={() => void runNow()}
        aria-label={named('catalog.harvest.runNowFor')}
      >
        {t('catalog.harvest.runNow')}
      </Button>
      <Button
        size={size}
        icon={<EditOutlined aria-hidden />}
        onClick={onEdit}
        aria-label={named('catalog.harvest.editFor')}
      >
        {t('catalog.harvest.edit')}
      </Button>
      {source.active ? (
        <Button
          size={size}
          danger
          icon={<StopOutlined aria-hidden />}
          onClick={confirmDeactivate}
          aria-label={named('catalog.harvest.deactivateFor')}
        >
          {t('catalog.harvest.deactivate')}
        </Button>
      ) : (
        <Button
          size={size}
          icon={<PoweroffOutlined aria-hidden />}
          loading={update.isPending}
          onClick={() => void reactivate()}
          aria-label={named('catalog.harvest.reactivateFor')}
        >
          {t('catalog.harvest.reactivate')}
        </Button>
      )}
    </Space>
  );
}
