import {
  CheckOutlined,
  DeleteOutlined,
  RollbackOutlined,
  SendOutlined,
  StopOutlined,
} from '@ant-design/icons';
import { App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { DatasetDto } from '../../../../contracts/catalog.ts';
import { useErrorText } from '../../../app/errors.ts';
import { FormModal } from '../../../ui/FormModal.tsx';
import { useDialog } from '../../../ui/useDialog.ts';
import { useDeleteDraft, useReviewDataset, useSubmitDataset, useWithdrawDataset } from '../api.ts';
import type { datasetActions } from '../permissions.ts';

type Step = 'publish' | 'reject' | 'withdraw';

/** A note for a review step: optional when publishing, required when sending back or withdrawing. */
function NoteDialog({
  step,
  open,
  busy,
  error,
  onClose,
  onConfirm,
}: {
  step: Step;
  open: boolean;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onConfirm: (note: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note: string }>();
  return (
    <FormModal
      open={open}
      title={t(`catalog.lifecycle.${step}Title`)}
      okText={t(`catalog.lifecycle.${step}`)}
      busy={busy}
      error={error}
      form={form}
      onClose={onClose}
      intro={<p>{t(`catalog.lifecycle.${step}Intro`)}</p>}
    >
      <Form form={form} layout="vertical" onFinish={(v) => onConfirm(v.note?.trim() ?? '')}>
        <Form.Item
          label={step === 'withdraw' ? t('catalog.lifecycle.reason') : t('catalog.lifecycle.note')}
          name="note"
          rules={
            step === 'publish'
              ? [{ max: 2000 }]
              : [{ required: true, whitespace: true, message: t('validation.required') }, { max: 2000 }]
          }
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </FormModal>
  );
}

/** Submit, publish, send back, withdraw and delete: the buttons a person's roles allow for this status. */
export function LifecycleActions({
  dataset,
  allowed,
}: {
  dataset: DatasetDto;
  allowed: ReturnType<typeof datasetActions>;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const submit = useSubmitDataset(dataset.id);
  const review = useReviewDataset(dataset.id);
  const withdraw = useWithdrawDataset(dataset.id);
  const remove = useDeleteDraft();
  const dialog = useDialog<Step>();
  const [error, setError] = useState<unknown>();

  const confirmStep = async (step: Step, note: string) => {
    setError(undefined);
    try {
      if (step === 'withdraw') await withdraw.mutateAsync(note);
      else await review.mutateAsync({ decision: step, ...(note ? { note } : {}) });
      dialog.hide();
      message.success(t(`catalog.lifecycle.${step}Done`));
    } catch (err) {
      setError(err);
    }
  };

  const doSubmit = async () => {
    try {
      await submit.mutateAsync(undefined);
      message.success(t('catalog.lifecycle.submitDone'));
    } catch (err) {
      message.error(errorText(err));
    }
  };

  const doDelete = () =>
    modal.confirm({
      title: t('catalog.lifecycle.deleteConfirm'),
      okText: t('catalog.lifecycle.delete'),
      okButtonProps: { danger: true },
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          await remove.mutateAsync(dataset.id);
          message.success(t('catalog.lifecycle.deleteDone'));
          navigate('/console/catalog');
        } catch (err) {
          message.error(errorText(err));
        }
      },
    });

  const open = (step: Step) => {
    setError(undefined);
    dialog.show(step);
  };

  return (
    <div className="catalog-actions">
      {allowed.submit && (
        <Button
          type="primary"
          icon={<SendOutlined aria-hidden />}
          loading={submit.isPending}
          onClick={() => void doSubmit()}
        >
          {t('catalog.lifecycle.submit')}
        </Button>
      )}
      {allowed.review && (
        <>
          <Button type="primary" icon={<CheckOutlined aria-hidden />} onClick={() => open('publish')}>
            {t('catalog.lifecycle.publish')}
          </Button>
          <Button icon={<RollbackOutlined aria-hidden />} onClick={() => open('reject')}>
            {t('catalog.lifecycle.reject')}
          </Button>
        </>
      )}
      {allowed.withdraw && (
        <Button danger icon={<StopOutlined aria-hidden />} onClick={() => open('withdraw')}>
          {t('catalog.lifecycle.withdraw')}
        </Button>
      )}
      {allowed.delete && (
        <Button danger icon={<DeleteOutlined aria-hidden />} onClick={doDelete}>
          {t('catalog.lifecycle.delete')}
        </Button>
      )}
      {dialog.value && (
        <NoteDialog
          key={dialog.key}
          step={dialog.value}
          open={dialog.open}
          busy={review.isPending || withdraw.isPending}
          error={error}
          onClose={dialog.hide}
          onConfirm={(note) => void confirmStep(dialog.value as Step, note)}
        />
      )}
    </div>
  );
}
