import { Button, Card, Col, Form, Input, Row, Select, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DatasetDto, ThemeDto } from '../../../../contracts/catalog.ts';
import { useErrorText } from '../../../app/errors.ts';
import { ErrorAlert } from '../../../ui/ErrorAlert.tsx';
import { DepartmentSelect } from '../../identity/components/DepartmentSelect.tsx';
import { useThemes } from '../api.ts';
import { CATALOG_KINDS, DATASET_NAME, FORMAT_CLASSES, RESOURCE_CODE, UPDATE_CYCLES } from '../constants.ts';
import { applyDatasetErrors, type DatasetFormValues, NEW_DATASET, toFormValues } from '../dataset-form.ts';
import { nameOf } from '../text.ts';
import { CoverageFields } from './CoverageFields.tsx';
import { DataItemsEditor } from './DataItemsEditor.tsx';
import { GovernanceFields } from './GovernanceFields.tsx';

const half = { xs: 24, md: 12 };

interface ThemeOption {
  value: string;
  title: string;
  children?: ThemeOption[];
}

function themeTree(themes: readonly ThemeDto[], language: string): ThemeOption[] {
  const option = (th: ThemeDto): ThemeOption => {
    const children = themes.filter((c) => c.parentId === th.id).map(option);
    return { value: th.id, title: nameOf(th, language), ...(children.length ? { children } : {}) };
  };
  const ids = new Set(themes.map((th) => th.id));
  return themes.filter((th) => !th.parentId || !ids.has(th.parentId)).map(option);
}

function FormSection({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card title={<h2 className="card-heading">{title}</h2>} style={{ marginBottom: 16 }}>
      {children}
    </Card>
  );
}

/**
 * Every field of a catalog resource, Chinese and English side by side. `dataset` absent means a new
 * resource (department and URL name are chosen once, here). Saving throws server errors back onto
 * the fields they name.
 */
export function DatasetForm({
  dataset,
  departments,
  readOnly,
  governedLocked,
  busy,
  onSave,
}: {
  dataset?: DatasetDto;
  /** Departments the person may register resources for. */
  departments: readonly string[];
  readOnly: boolean;
  governedLocked: boolean;
  busy: boolean;
  onSave: (values: DatasetFormValues) => Promise<void>;
}) {
  const { t, i18n } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<DatasetFormValues>();
  const [error, setError] = useState<unknown>();
  const themes = useThemes();
  const themeOptions = useMemo(
    () => themeTree(themes.data ?? [], i18n.language),
    [themes.data, i18n.language],
  );
  const initial = useMemo(
    () =>
      dataset
        ? toFormValues(dataset)
        : { ...NEW_DATASET, departmentId: departments.length === 1 ? departments[0] : undefined },
    [dataset, departments],
  );

  const submit = async (values: DatasetFormValues) => {
    setError(undefined);
    try {
      await onSave(values);
    } catch (err) {
      if (applyDatasetErrors(t, form, err, errorText)) {
        form.scrollToField(form.getFieldsError().find((f) => f.errors.length > 0)?.name ?? 'titleZh', {
          focus: true,
        });
      } else setError(err);
    }
  };

  const required = { required: true, whitespace: true, message: t('validation.required') };
  return (
    <Form<DatasetFormValues>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={submit}
      onFinishFailed={({ errorFields }) => {
        if (errorFields[0]) form.scrollToField(errorFields[0].name, { focus: true });
      }}
      disabled={readOnly}
      scrollToFirstError={false}
    >
      <ErrorAlert error={error} />
      <FormSection title={t('catalog.form.basics')}>
        <Row gutter={16}>
          <Col {...half}>
            {dataset ? (
              // The provider never changes once registered ("one data, one source").
              <Form.Item label={t('fields.department')} htmlFor="dataset-department">
                <Input id="dataset-department" value={nameOf(dataset.department, i18n.language)} disabled />
              </Form.Item>
            ) : (
              <Form.Item
                label={t('fields.department')}
                name="departmentId"
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <DepartmentSelect allowed={departments} placeholder={t('catalog.form.chooseDepartment')} />
              </Form.Item>
            )}
          </Col>
          <Col {...half}>
            <Form.Item
              label={t('catalog.fields.name')}
              name="name"
              extra={t('catalog.form.nameHelp')}
              normalize={(v?: string) => v?.toLowerCase()}
              rules={[
                required,
                { min: 2, max: 100, message: t('catalog.form.nameLength') },
                { pattern: DATASET_NAME, message: t('catalog.form.namePattern') },
              ]}
            >
              <Input spellCheck={false} disabled={!!dataset || readOnly} maxLength={100} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.titleZh')} name="titleZh" rules={[required, { max: 300 }]}>
              <Input lang="zh-CN" maxLength={300} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.titleEn')} name="titleEn" rules={[{ max: 300 }]}>
              <Input lang="en" maxLength={300} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.descriptionZh')} name="descriptionZh">
              <Input.TextArea lang="zh-CN" rows={5} maxLength={20_000} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.descriptionEn')} name="descriptionEn">
              <Input.TextArea lang="en" rows={5} maxLength={20_000} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          label={t('catalog.fields.keywords')}
          name="keywords"
          extra={t('catalog.form.keywordsHelp')}
          rules={[{ type: 'array', max: 50 }]}
        >
          <Select mode="tags" open={false} tokenSeparators={[',', '，', '、']} suffixIcon={null} />
        </Form.Item>
      </FormSection>

      <FormSection title={t('catalog.form.classification')}>
        <Row gutter={16}>
          <Col {...half}>
            <Form.Item
              label={t('catalog.fields.resourceCode')}
              name="resourceCode"
              extra={t('catalog.form.codeHelp')}
              normalize={(v?: string) => v?.toUpperCase()}
              rules={[{ pattern: RESOURCE_CODE, message: t('catalog.form.codePattern') }, { max: 64 }]}
            >
              <Input spellCheck={false} maxLength={64} />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.theme')} name="themeId">
              <TreeSelect
                treeData={themeOptions}
                allowClear
                showSearch={{ treeNodeFilterProp: 'title' }}
                treeDefaultExpandAll
                loading={themes.isPending}
                placeholder={t('catalog.form.chooseTheme')}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.catalogKind')} name="catalogKind">
              <Select
                options={CATALOG_KINDS.map((k) => ({ value: k, label: t(`catalog.enums.catalogKind.${k}`) }))}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.formatClass')} name="formatClass">
              <Select
                options={FORMAT_CLASSES.map((f) => ({
                  value: f,
                  label: t(`catalog.enums.formatClass.${f}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col {...half}>
            <Form.Item label={t('catalog.fields.updateCycle')} name="updateCycle">
              <Select
                options={UPDATE_CYCLES.map((c) => ({ value: c, label: t(`catalog.enums.updateCycle.${c}`) }))}
              />
            </Form.Item>
          </Col>
        </Row>
      </FormSection>

      <FormSection title={t('catalog.form.governance')}>
        <GovernanceFields form={form} locked={governedLocked} />
      </FormSection>

      <FormSection title={t('catalog.dataset.dataItems')}>
        <DataItemsEditor />
      </FormSection>

      <FormSection title={t('catalog.form.coverage')}>
        <CoverageFields selfName={dataset?.name} />
      </FormSection>

      {!readOnly && (
        <Button type="primary" htmlType="submit" loading={busy} size="large">
          {dataset ? t('common.save') : t('catalog.console.createSubmit')}
        </Button>
      )}
    </Form>
  );
}
