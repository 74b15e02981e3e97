import { describe, expect, it } from 'vitest';
import { en, zhCN } from '../../app/locales/index.ts';
import {
  columnCode,
  columnName,
  columnNames,
  grantedScope,
  historyActionKey,
  historySystemActor,
  isNarrowed,
  LOG_OPERATIONS,
  operationKey,
} from './display.ts';
import { fieldOptions } from './request-form.ts';

// How the exchange names things on screen: history events, dictionary columns in the UI language,
// access-log operations.

const LABELS = [
  { id: '姓名', label: '姓名', labelEn: 'Name' },
  { id: '身份证号', label: '身份证号', labelEn: 'Resident ID number' },
  { id: '统计月份', label: '统计月份' },
  { id: 'name', label: '姓名', labelEn: 'Name' },
];

describe('history events', () => {
  it('shows a credential issued in place of another as a rotation', () => {
    expect(
      historyActionKey({ action: 'credential_issue', details: { prefix: 'cvx_a', rotated: true } }),
    ).toBe('rotate');
    expect(
      historyActionKey({ action: 'credential_issue', details: { prefix: 'cvx_a', rotated: false } }),
    ).toBe('credential_issue');
    expect(historyActionKey({ action: 'exchange.grant.renew', details: {} })).toBe('renew');
    expect(historyActionKey({ action: 'approve' })).toBe('approve');
    for (const resources of [zhCN, en]) {
      const actions = resources.exchange.history.action as Record<string, string>;
      expect(actions.rotate).not.toBe(actions.credential_issue);
    }
  });
});

describe('history actors', () => {
  it('names the deadline tick in words for reminders and escalations, and people by their name', () => {
    expect(historySystemActor({ action: 'remind' })).toBe('deadlines');
    expect(historySystemActor({ action: 'exchange.request.escalate' })).toBe('deadlines');
    expect(historySystemActor({ action: 'approve' })).toBeNull();
    for (const resources of [zhCN, en]) {
      const names = (resources.exchange.history as { systemActor?: Record<string, string> }).systemActor;
      expect(names?.deadlines).toMatch(/\S/);
      expect(names?.deadlines).not.toBe('exchange-deadlines');
    }
  });
});

describe('column names', () => {
  it('uses the English label in English, else the Chinese label, else the id', () => {
    expect(columnNames(['姓名', '身份证号', '统计月份', 'gone'], LABELS, 'en')).toEqual([
      'Name',
      'Resident ID number',
      '统计月份',
      'gone',
    ]);
    expect(columnNames(['姓名', '身份证号'], LABELS, 'zh-CN')).toEqual(['姓名', '身份证号']);
    expect(columnName('x', undefined, 'en')).toBe('x');
    expect(columnName('x', [{ id: 'x', label: ' ', labelEn: ' ' }], 'en')).toBe('x');
  });

  it('shows a column once: the id beside the name only when it is a different machine name', () => {
    expect(columnCode('统计月份', '统计月份')).toBeUndefined();
    expect(columnCode('保障标准_元_月', '保障标准（元/月）')).toBeUndefined();
    expect(columnCode('name', '姓名')).toBe('name');
    expect(columnCode('name', 'name')).toBeUndefined();
    const options = fieldOptions(
      [
        { id: '统计月份', label: '统计月份', type: 'text', sensitivity: 'public' },
        { id: '保障标准_元_月', label: '保障标准（元/月）', type: 'numeric', sensitivity: 'public' },
        { id: 'name', label: '姓名', labelEn: 'Name', type: 'text', sensitivity: 'personal' },
      ],
      'en',
    );
    expect(options.map((o) => [o.label, o.code])).toEqual([
      ['统计月份', undefined],
      ['保障标准（元/月）', undefined],
      ['Name', 'name'],
    ]);
  });
});

describe('access-log operations', () => {
  it('names every operation in both languages and leaves unknown codes alone', () => {
    for (const resources of [zhCN, en]) {
      const ops = resources.exchange.log.operations as Record<string, string>;
      for (const op of LOG_OPERATIONS) {
        expect(operationKey(op)).toBe(`exchange.log.operations.${op}`);
        expect(typeof ops[op]).toBe('string');
        expect(ops[op]).not.toBe(op);
      }
    }
    expect(operationKey('teleport')).toBeUndefined();
  });
});

describe('what an approval granted', () => {
  it('reads the approval event, and says when it is less than asked', () => {
    const history = [
      { action: 'create', details: {} },
      {
        action: 'approve',
        details: {
          autoApproved: false,
          grantId: 'g',
          fields: ['name'],
          rowFilter: { district: '岚山区', status: '在册' },
          durationDays: 30,
          clearFields: [],
          confidential: false,
          rateLimitPerMinute: 60,
        },
      },
    ];
    const scope = grantedScope(history);
    expect(scope).toEqual({
      fields: ['name'],
      rowFilter: { district: '岚山区', status: '在册' },
      durationDays: 30,
      clearFields: [],
      rateLimitPerMinute: 60,
      confidential: false,
    });
    const asked = { fields: ['name', 'district'], rowFilter: { district: '岚山区' }, durationDays: 90 };
    expect(isNarrowed(asked, scope!)).toBe(true);
    expect(isNarrowed({ fields: ['name'], rowFilter: scope!.rowFilter, durationDays: 30 }, scope!)).toBe(
      false,
    );
    expect(grantedScope([{ action: 'create', details: {} }])).toBeUndefined();
    expect(grantedScope(undefined)).toBeUndefined();
  });
});
