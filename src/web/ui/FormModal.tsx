import type { FormInstance } from 'antd';
import { Modal } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert.tsx';

/** A dialog around one form: OK submits it, errors not tied to a field show above it. */
export function FormModal(props: {
  open: boolean;
  title: ReactNode;
  okText: string;
  busy: boolean;
  error: unknown;
  form: FormInstance;
  onClose: () => void;
  /** Text before the form, e.g. what the action does. */
  intro?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText}
      cancelText={t('common.cancel')}
      onOk={() => props.form.submit()}
      onCancel={props.onClose}
      confirmLoading={props.busy}
      destroyOnHidden
    >
      {props.intro}
      <ErrorAlert error={props.error} />
      {props.children}
    </Modal>
  );
}
