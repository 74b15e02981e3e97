import { Alert, Form, type FormInstance, Input, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OpenType, ShareType } from '../../../../contracts/catalog.ts';
import { useLicenses } from '../api.ts';
import { OPEN_TYPES, SENSITIVITY_LEVELS, SHARE_TYPES } from '../constants.ts';
import type { DatasetFormValues } from '../dataset-form.ts';

const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';

/**
 * Sharing, opening, licence and sensitivity, with the catalog's rules applied as one types: a
 * resource that is not shared needs its legal basis and cannot be open; an open one needs a
 * licence and is shared unconditionally; conditional sharing or opening states its condition.
 * Dependent fields appear only when they apply. `locked` (a published resource edited by a steward)
 * shows them read-only: only the department admin changes them.
 */
export function GovernanceFields({
  form,
  locked,
}: {
  form: FormInstance<DatasetFormValues>;
  locked: boolean;
}) {
  const { t } = useTranslation();
  const licenses = useLicenses();
  const shareType = Form.useWatch('shareType', form) as ShareType | undefined;
  const openType = Form.useWatch('openType', form) as OpenType | undefined;

  // What sharing allows of opening, and the other way round (catalog-rules.ts on the server).
  const openAllowed = (o: OpenType) =>
    shareType === 'none' ? o === 'none' : o !== 'open' || shareType === 'unconditional';

  const onShareChange = (value: ShareType) => {
    // Not shared implies not open: say so by moving the choice rather than failing on save.
    if (value === 'none') form.setFieldValue('openType', 'none');
    if (value !== 'unconditional' && form.getFieldValue('openType') === 'open')
      form.setFieldValue('openType', 'none');
  };

  return (
    <>
      {locked && (
        <Alert type="info" showIcon title={t('catalog.form.governedLocked')} style={{ marginBottom: 16 }} />
      )}
      <Form.Item label={t('catalog.fields.shareType')} name="shareType" extra={t('catalog.form.shareHelp')}>
        <Radio.Group
          aria-label={t('catalog.fields.shareType')}
          optionType="button"
          disabled={locked}
          onChange={(e) => onShareChange(e.target.value as ShareType)}
          options={SHARE_TYPES.map((s) => ({ value: s, label: t(`catalog.enums.shareType.${s}`) }))}
        />
      </Form.Item>
      {shareType === 'conditional' && (
        <Form.Item
          label={t('catalog.fields.shareCondition')}
          name="shareCondition"
          dependencies={['shareLegalBasis']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_r, value) => {
                if (blank(value) && blank(getFieldValue('shareLegalBasis')))
                  throw new Error(t('catalog.rules.shareCondition'));
              },
            }),
          ]}
        >
          <Input.TextArea rows={2} maxLength={2000} disabled={locked} />
        </Form.Item>
      )}
      {shareType && shareType !== 'unconditional' && (
        <Form.Item
          label={t('catalog.fields.shareLegalBasis')}
          name="shareLegalBasis"
          extra={t('catalog.form.legalBasisHelp')}
          rules={
            shareType === 'none'
              ? [{ required: true, whitespace: true, message: t('catalog.rules.shareLegalBasis') }]
              : []
          }
        >
          <Input.TextArea rows={2} maxLength={2000} disabled={locked} />
        </Form.Item>
      )}
      <Form.Item
        label={t('catalog.fields.openType')}
        name="openType"
        extra={shareType === 'unconditional' ? t('catalog.form.openHelp') : t('catalog.form.openLimited')}
        dependencies={['shareType']}
        rules={[
          ({ getFieldValue }) => ({
            validator: async (_r, value: OpenType) => {
              const share = getFieldValue('shareType') as ShareType;
              if (share === 'none' && value !== 'none') throw new Error(t('catalog.rules.notSharedNotOpen'));
              if (value === 'open' && share !== 'unconditional')
                throw new Error(t('catalog.rules.openNeedsUnconditional'));
            },
          }),
        ]}
      >
        <Radio.Group
          aria-label={t('catalog.fields.openType')}
          optionType="button"
          disabled={locked}
          options={OPEN_TYPES.map((o) => ({
            value: o,
            label: t(`catalog.enums.openType.${o}`),
            disabled: !openAllowed(o),
          }))}
        />
      </Form.Item>
      {openType === 'conditional' && (
        <Form.Item
          label={t('catalog.fields.openCondition')}
          name="openCondition"
          rules={[{ required: true, whitespace: true, message: t('catalog.rules.openCondition') }]}
        >
          <Input.TextArea rows={2} maxLength={2000} disabled={locked} />
        </Form.Item>
      )}
      {openType && openType !== 'none' && (
        <Form.Item
          label={t('catalog.fields.licenseId')}
          name="licenseId"
          rules={openType === 'open' ? [{ required: true, message: t('catalog.rules.licenseRequired') }] : []}
        >
          <Select
            allowClear
            placeholder={t('catalog.form.chooseLicence')}
            loading={licenses.isPending}
            options={(licenses.data ?? []).map((l) => ({ value: l.id, label: l.title }))}
          />
        </Form.Item>
      )}
      <Form.Item label={t('catalog.fields.sensitivity')} name="sensitivity">
        <Select
          disabled={locked}
          options={SENSITIVITY_LEVELS.map((s) => ({ value: s, label: t(`catalog.enums.sensitivity.${s}`) }))}
        />
      </Form.Item>
    </>
  );
}
