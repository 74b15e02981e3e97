import { App, Button, Form, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_OVERRIDE_NOTE, type WorkingDayDto } from '../../../contracts/calendar.ts';
import { applyFieldErrors } from '../../app/errors.ts';
import { ErrorAlert } from '../../ui/ErrorAlert.tsx';
import { useClearOverride, useSetOverride } from './api.ts';
import { officialStatusKey, statusKey } from './calendar-month.ts';

interface Values {
  working: boolean;
  note?: string;
}

/** The holiday's name in the interface language. */
export const holidayName = (day: WorkingDayDto, language: string) =>
  language.startsWith('en') ? day.holidayEn : day.holidayZh;

/** Sets, changes or removes the override of one day. Render with useDialog's key. */
export function OverrideModal({
  open,
  day,
  onClose,
}: {
  open: boolean;
  day: WorkingDayDto | undefined;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const set = useSetOverride();
  const clear = useClearOverride();
  const [error, setError] = useState<unknown>();
  if (!day) return null;

  const overridden = day.source === 'override';
  const holiday = holidayName(day, i18n.language);
  // What the official calendar alone says, so the admin sees what an exception replaces.
  const officialStatus = t(`calendar.status.${officialStatusKey(day)}`);

  const submit = async (values: Values) => {
    setError(undefined);
    try {
      await set.mutateAsync({ day: day.date, working: values.working, note: values.note?.trim() ?? '' });
      message.success(t('calendar.saved', { date: day.date }));
      onClose();
    } catch (err) {
      if (!applyFieldErrors(t, form, err)) setError(err);
    }
  };

  const remove = async () => {
    setError(undefined);
    try {
      await clear.mutateAsync(day.date);
      message.success(t('calendar.cleared', { date: day.date }));
      onClose();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <Modal
      open={open}
      title={t('calendar.editTitle', { date: day.date })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        overridden ? (
          <Button key="clear" danger loading={clear.isPending} onClick={remove}>
            {t('calendar.clear')}
          </Button>
        ) : null,
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="save" type="primary" loading={set.isPending} onClick={() => form.submit()}>
          {t('calendar.save')}
        </Button>,
      ]}
    >
      <Typography.Paragraph>
        {holiday
          ? t('calendar.officialHoliday', { status: officialStatus, holiday })
          : t('calendar.official', { status: officialStatus })}
        {overridden ? (
          <>
            <br />
            {t('calendar.current', { status: t(`calendar.status.${statusKey(day)}`) })}
          </>
        ) : null}
      </Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          // A new exception usually turns the day around; an existing one starts from itself.
          working: overridden ? day.working : !day.officialWorking,
          note: day.note ?? '',
        }}
      >
        <Form.Item label={t('calendar.working')} name="working">
          <Radio.Group
            options={[
              { value: true, label: t('calendar.workingYes') },
              { value: false, label: t('calendar.workingNo') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('calendar.note')} name="note">
          <Input maxLength={MAX_OVERRIDE_NOTE} placeholder={t('calendar.notePlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
