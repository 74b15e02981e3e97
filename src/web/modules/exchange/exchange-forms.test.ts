import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api.ts';
import { en, zhCN } from '../../app/locales/index.ts';
import { decisionProblems, initialDecision, toDecisionBody } from './decision-form.ts';
import { grantActions, requestActions, requesterDepartments } from './permissions.ts';
import {
  type ColumnInfo,
  durationInRange,
  fieldOptions,
  filterProblems,
  type RequestFormValues,
  refusedMaxDays,
  toCreateRequest,
} from './request-form.ts';
import { gatewaySnippets, shellQuote } from './snippets.ts';

const COLUMNS: ColumnInfo[] = [
  { id: 'name', label: '姓名', labelEn: 'Name', type: 'text', sensitivity: 'personal' },
  { id: 'id_number', label: '身份证号', type: 'text', sensitivity: 'personal' },
  { id: 'district', label: '区县', labelEn: 'District', type: 'text', sensitivity: 'public' },
  { id: 'salary', label: '工资', labelEn: 'Salary', type: 'numeric', sensitivity: 'secret' },
];

const values = (over: Partial<RequestFormValues> = {}): RequestFormValues => ({
  distributionId: 'dist',
  requesterDepartmentId: 'dept-b',
  fields: ['name', 'district'],
  purpose: '  核验低保申请人身份  ',
  legalBasis: '社会救助暂行办法第十一条',
  durationDays: 365,
  systemName: ' 低保审批系统 ',
  delivery: 'api',
  ...over,
});

describe('the access request form', () => {
  it('checks the duration against the platform limit and reads the limit from a refusal', () => {
    expect(durationInRange(365, 365)).toBe(true);
    expect(durationInRange(1, 365)).toBe(true);
    for (const d of [0, 366, 1095, 2.5, undefined, null, '30']) expect(durationInRange(d, 365)).toBe(false);
    const refusal = new ApiError(400, 'exchange.duration_too_long', 'too long', { maxDays: 365 }, 'r1');
    expect(refusedMaxDays(refusal)).toBe(365);
    expect(
      refusedMaxDays(new ApiError(400, 'exchange.purpose_required', 'x', undefined, 'r2')),
    ).toBeUndefined();
    expect(refusedMaxDays(new Error('x'))).toBeUndefined();
    // The messages say the number, in both languages.
    for (const resources of [zhCN, en]) {
      expect((resources.exchange.form.problems as Record<string, string>).durationRange).toContain('{{max}}');
      expect((resources.exchange.decision.problems as Record<string, string>).durationRange).toContain(
        '{{max}}',
      );
      expect((resources.exchange.decision.problems as Record<string, string>).rateRange).toContain(
        '{{rateMax}}',
      );
    }
  });

  it('offers every column, secret ones disabled, labelled in the interface language', () => {
    const options = fieldOptions(COLUMNS, 'en');
    expect(options.map((o) => [o.value, o.label, o.disabled])).toEqual([
      ['name', 'Name', false],
      ['id_number', '身份证号', false],
      ['district', 'District', false],
      ['salary', 'Salary', true],
    ]);
    expect(fieldOptions(COLUMNS, 'zh-CN')[0]?.label).toBe('姓名');
  });

  it('builds the request body with trimmed texts, without secret fields or empty filter pairs', () => {
    const body = toCreateRequest(
      values({
        fields: ['name', 'salary'],
        rowFilter: [{ column: 'district', value: ' 岚山区 ' }, {}],
        expectedCallsPerDay: 200,
      }),
      COLUMNS,
    );
    expect(body).toEqual({
      distributionId: 'dist',
      requesterDepartmentId: 'dept-b',
      purpose: '核验低保申请人身份',
      legalBasis: '社会救助暂行办法第十一条',
      fields: ['name'],
      rowFilter: { district: '岚山区' },
      durationDays: 365,
      expectedCallsPerDay: 200,
      systemName: '低保审批系统',
      delivery: 'api',
      confidential: false,
    });
    expect(toCreateRequest(values({ expectedCallsPerDay: null }), COLUMNS)).not.toHaveProperty('rowFilter');
    expect(toCreateRequest(values({ expectedCallsPerDay: null }), COLUMNS)).not.toHaveProperty(
      'expectedCallsPerDay',
    );
  });

  it('names half-filled and repeated filter pairs', () => {
    const problems = filterProblems([
      { column: 'district', value: 'A' },
      { column: 'district', value: 'B' },
      { column: 'name' },
      { value: 'x' },
      {},
    ]);
    expect([...problems]).toEqual([
      [1, 'duplicate'],
      [2, 'valueMissing'],
      [3, 'columnMissing'],
    ]);
    const many = Array.from({ length: 11 }, (_, i) => ({ column: `c${i}`, value: 'v' }));
    expect([...filterProblems(many)]).toEqual([[10, 'tooMany']]);
  });
});

const REQUEST = {
  fields: ['name', 'id_number', 'district'],
  rowFilter: { district: '岚山区' },
  durationDays: 180,
  confidential: false,
};

describe('the owner decision', () => {
  it('starts as an approval of everything asked', () => {
    const start = initialDecision(REQUEST);
    expect(decisionProblems(REQUEST, start, COLUMNS)).toEqual({});
    expect(toDecisionBody(REQUEST, start)).toEqual({
      decision: 'approve',
      fields: ['name', 'id_number', 'district'],
      durationDays: 180,
      clearFields: [],
      confidential: false,
    });
  });

  it('accepts narrowing and keeps the requester filter under the added conditions', () => {
    const v = {
      ...initialDecision(REQUEST),
      fields: ['name', 'district'],
      extraFilter: [{ column: 'status', value: '在册' }],
      durationDays: 90,
      rateLimitPerMinute: 60,
      clearFields: ['name'],
    };
    expect(decisionProblems(REQUEST, v, COLUMNS)).toEqual({});
    expect(toDecisionBody(REQUEST, v)).toEqual({
      decision: 'approve',
      fields: ['name', 'district'],
      rowFilter: { status: '在册', district: '岚山区' },
      durationDays: 90,
      rateLimitPerMinute: 60,
      clearFields: ['name'],
      confidential: false,
    });
  });

  it('names every way of widening the request', () => {
    const v = {
      ...initialDecision(REQUEST),
      fields: ['name', 'salary'],
      extraFilter: [{ column: 'district', value: '全市' }],
      durationDays: 400,
      clearFields: ['district'],
      confidential: true,
    };
    expect(decisionProblems(REQUEST, v, COLUMNS)).toEqual({
      fields: 'fieldsWiden',
      durationDays: 'durationWiden',
      extraFilter: 'filterChanges',
      clearFields: 'clearNotPersonal',
      confidential: 'confidentialWiden',
    });
    expect(decisionProblems(REQUEST, { ...initialDecision(REQUEST), fields: [] }, COLUMNS)).toEqual({
      fields: 'fieldsEmpty',
    });
  });

  it('refuses out-of-range numbers instead of correcting them, and sends the values as typed', () => {
    const limits = { maxGrantDays: 365, maxRatePerMinute: 600_000 };
    const long = {
      ...initialDecision({ ...REQUEST, durationDays: 365 }),
      durationDays: 9999,
      rateLimitPerMinute: 0,
    };
    expect(decisionProblems({ ...REQUEST, durationDays: 365 }, long, COLUMNS, limits)).toEqual({
      durationDays: 'durationRange',
      rateLimitPerMinute: 'rateRange',
    });
    for (const durationDays of [0, -3, 1.5]) {
      expect(
        decisionProblems(REQUEST, { ...initialDecision(REQUEST), durationDays }, COLUMNS, limits),
      ).toEqual({
        durationDays: 'durationRange',
      });
    }
    expect(
      decisionProblems(
        REQUEST,
        { ...initialDecision(REQUEST), rateLimitPerMinute: 600_001 },
        COLUMNS,
        limits,
      ),
    ).toEqual({ rateLimitPerMinute: 'rateRange' });
    expect(
      decisionProblems(REQUEST, { ...initialDecision(REQUEST), rateLimitPerMinute: null }, COLUMNS, limits),
    ).toEqual({});
    // Nothing is clamped on the way out: what the owner typed is what the server judges.
    expect(toDecisionBody(REQUEST, { ...initialDecision(REQUEST), durationDays: 400 }).durationDays).toBe(
      400,
    );
  });

  it('clear fields must be personal and still granted', () => {
    const v = { ...initialDecision(REQUEST), fields: ['district'], clearFields: ['name'] };
    expect(decisionProblems(REQUEST, v, COLUMNS)).toEqual({ clearFields: 'clearNotPersonal' });
  });

  it('a refusal needs a reason and sends only it', () => {
    const refuse = { ...initialDecision(REQUEST), decision: 'refuse' as const, reason: '  ' };
    expect(decisionProblems(REQUEST, refuse, COLUMNS)).toEqual({ reason: 'reasonRequired' });
    expect(toDecisionBody(REQUEST, { ...refuse, reason: ' 无法定依据 ' })).toEqual({
      decision: 'refuse',
      reason: '无法定依据',
    });
  });
});

const role = (r: 'dept_admin' | 'data_steward' | 'auditor' | 'case_handler', departmentId: string) => ({
  id: `${r}-${departmentId}`,
  personId: 'p',
  departmentId,
  departmentCode: departmentId,
  departmentNameZh: departmentId,
  departmentNameEn: departmentId,
  role: r,
  createdAt: '2026-01-01T00:00:00Z',
});
const DEPTS = [
  { id: 'a', parentId: null },
  { id: 'b', parentId: null },
  { id: 'b1', parentId: 'b' },
];
const staff = (...roles: ReturnType<typeof role>[]) => ({
  kind: 'staff' as const,
  isPlatformAdmin: false,
  roles,
});

describe('exchange permissions in the web app', () => {
  it('asks on behalf of the departments (and sub-departments) the person administers data for', () => {
    const p = staff(role('data_steward', 'b'), role('auditor', 'a'));
    expect(requesterDepartments(p, DEPTS)).toEqual(['b', 'b1']);
    expect(requesterDepartments(p, DEPTS, 'b1')).toEqual(['b']);
  });

  it('owner admins decide pending requests, requester admins withdraw them', () => {
    const r = { ownerDepartmentId: 'a', requesterDepartmentId: 'b1', state: 'pending' };
    expect(requestActions(staff(role('dept_admin', 'a')), r, DEPTS)).toEqual({
      decide: true,
      withdraw: false,
    });
    expect(requestActions(staff(role('data_steward', 'b')), r, DEPTS)).toEqual({
      decide: false,
      withdraw: true,
    });
    expect(requestActions(staff(role('dept_admin', 'a')), { ...r, state: 'approved' }, DEPTS)).toEqual({
      decide: false,
      withdraw: false,
    });
  });

  it('grant actions follow side and state', () => {
    const g = { ownerDepartmentId: 'a', granteeDepartmentId: 'b', state: 'active' };
    const owner = staff(role('dept_admin', 'a'));
    const grantee = staff(role('data_steward', 'b'));
    expect(grantActions(owner, g, DEPTS)).toMatchObject({
      use: false,
      renew: true,
      suspend: true,
      resume: false,
    });
    expect(grantActions(grantee, g, DEPTS)).toMatchObject({ use: true, renew: false, revoke: true });
    expect(grantActions(owner, { ...g, state: 'suspended' }, DEPTS)).toMatchObject({
      suspend: false,
      resume: true,
    });
    expect(grantActions(owner, { ...g, state: 'revoked' }, DEPTS)).toMatchObject({
      renew: false,
      revoke: false,
    });
    expect(grantActions(staff(role('auditor', 'a')), g, DEPTS)).toMatchObject({
      suspend: false,
      revoke: false,
    });
  });
});

describe('gateway snippets', () => {
  it('shows lookup and records calls with the purpose header and the grant filter', () => {
    const s = gatewaySnippets({
      origin: 'https://civitas.example/',
      distributionId: 'd1',
      lookupField: 'id_number',
      rowFilter: { district: '岚山区' },
    });
    expect(s.lookup).toContain(
      "'https://civitas.example/exchange/v1/resources/d1/lookup?field=id_number&value=<value>'",
    );
    expect(s.lookup).toContain('X-Civitas-Purpose');
    expect(s.records).toContain(`filters=${encodeURIComponent('{"district":"岚山区"}')}&limit=100`);
    expect(s.grant).toContain('/exchange/v1/grant');
    expect(
      gatewaySnippets({ origin: 'http://x', distributionId: 'd', lookupField: undefined, rowFilter: {} })
        .lookup,
    ).toBeUndefined();
  });

  it('quotes shell values safely', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});
