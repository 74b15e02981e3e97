import { AutoComplete, Button, DatePicker, Form, Input, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { DepartmentSelect } from '../identity/components/DepartmentSelect.tsx';
import { type AuditFilter, actionKey, KNOWN_ACTIONS } from './api.ts';

interface Values {
  action?: string;
  actor?: string;
  targetId?: string;
  departmentId?: string;
  from?: Dayjs | null;
  to?: Dayjs | null;
}

/** Narrows the trail by action (prefix), actor, target, department and time. */
export function AuditFilters({ onChange }: { onChange: (filter: AuditFilter) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();

  const apply = (v: Values) =>
    onChange({
      action: v.action?.trim() || undefined,
      actor: v.actor?.trim() || undefined,
      targetId: v.targetId?.trim() || undefined,
      departmentId: v.departmentId || undefined,
      from: v.from ? v.from.startOf('minute').toISOString() : undefined,
      to: v.to ? v.to.endOf('minute').toISOString() : undefined,
    });

  return (
    <search aria-label={t('audit.filters')}>
      <Form form={form} layout="vertical" onFinish={apply} style={{ marginBottom: 8 }}>
        <Space wrap align="end" size={[12, 0]}>
          <Form.Item label={t('audit.action')} name="action">
            <AutoComplete
              style={{ width: 240 }}
              placeholder={t('audit.actionPlaceholder')}
              options={KNOWN_ACTIONS.map((a) => ({ value: a, label: `${t(actionKey(a))} (${a})` }))}
              showSearch={{
                filterOption: (input, option) =>
                  !!option && String(option.label).toLowerCase().includes(input.toLowerCase()),
              }}
              allowClear
            />
          </Form.Item>
          <Form.Item label={t('audit.actor')} name="actor">
            <Input style={{ width: 160 }} placeholder={t('audit.actorPlaceholder')} autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('audit.target')} name="targetId">
            <Input style={{ width: 200 }} placeholder={t('audit.targetPlaceholder')} autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('fields.department')} name="departmentId">
            <DepartmentSelect allowClear placeholder={t('audit.anyDepartment')} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item label={t('audit.from')} name="from">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item label={t('audit.to')} name="to">
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                {t('audit.applyFilters')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  onChange({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Space>
          </Form.Item>
        </Space>
      </Form>
    </search>
  );
}
