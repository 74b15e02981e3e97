import { describe, expect, it } from 'vitest';
import { ACCESS_OUTCOMES, DELIVERIES, GRANT_STATES, REQUEST_STATES } from '../../../contracts/exchange.ts';
import { en, zhCN } from '../../app/locales/index.ts';
import { canSee } from '../../app/permissions.ts';

// The exchange builds keys from enum values (exchange.enums.requestState.<value>); a value without
// a label would show its raw code. Every value of every family must be there in both languages.

const FAMILIES: Record<string, readonly string[]> = {
  requestState: REQUEST_STATES,
  grantState: GRANT_STATES,
  delivery: DELIVERIES,
  outcome: ACCESS_OUTCOMES,
  extractState: ['queued', 'running', 'ready', 'failed', 'expired'],
  deliveryState: ['pending', 'delivered', 'failed'],
  subscriptionState: ['active', 'cancelled'],
  noticeKind: ['reminder', 'escalation'],
  side: ['incoming', 'outgoing'],
  grantSide: ['incoming', 'outgoing'],
};

describe('exchange labels', () => {
  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ])('%s labels every value', (_lang, resources) => {
    const enums = resources.exchange.enums as Record<string, Record<string, string>>;
    const missing = Object.entries(FAMILIES).flatMap(([family, values]) =>
      values.filter((v) => typeof enums[family]?.[v] !== 'string').map((v) => `${family}.${v}`),
    );
    expect(missing).toEqual([]);
  });

  it('names every narrowing problem and form problem in both languages', () => {
    for (const resources of [zhCN, en]) {
      for (const p of [
        'reasonRequired',
        'fieldsEmpty',
        'fieldsWiden',
        'durationWiden',
        'filterChanges',
        'clearNotPersonal',
        'confidentialWiden',
      ]) {
        expect(typeof (resources.exchange.decision.problems as Record<string, string>)[p]).toBe('string');
      }
      for (const p of ['columnMissing', 'valueMissing', 'duplicate', 'tooMany']) {
        expect(typeof (resources.exchange.form.problems as Record<string, string>)[p]).toBe('string');
      }
    }
  });

  it('has a navigation label for every exchange section', () => {
    for (const s of [
      'exchangeResources',
      'exchangeRequests',
      'exchangeGrants',
      'exchangeLog',
      'exchangeNotices',
      'myData',
    ]) {
      expect(typeof (zhCN.nav as Record<string, unknown>)[s]).toBe('string');
      expect(typeof (en.nav as Record<string, unknown>)[s]).toBe('string');
    }
  });
});

const role = (r: 'dept_admin' | 'data_steward' | 'auditor' | 'case_handler') => ({
  id: r,
  personId: 'p',
  departmentId: 'd',
  departmentCode: 'D',
  departmentNameZh: 'd',
  departmentNameEn: 'd',
  role: r,
  createdAt: '2026-01-01T00:00:00Z',
});

describe('exchange sections in the console', () => {
  it('staff with any role see resources, requests, grants and notices; the log needs a data or audit role', () => {
    const handler = { kind: 'staff' as const, isPlatformAdmin: false, roles: [role('case_handler')] };
    expect(canSee(handler, 'exchangeResources')).toBe(true);
    expect(canSee(handler, 'exchangeNotices')).toBe(true);
    expect(canSee(handler, 'exchangeLog')).toBe(false);
    for (const r of ['dept_admin', 'data_steward', 'auditor'] as const) {
      expect(canSee({ kind: 'staff', isPlatformAdmin: false, roles: [role(r)] }, 'exchangeLog')).toBe(true);
    }
  });

  it('citizens, businesses and staff without roles see none of them', () => {
    for (const who of [
      { kind: 'citizen' as const, isPlatformAdmin: false, roles: [] },
      { kind: 'business' as const, isPlatformAdmin: false, roles: [] },
      { kind: 'staff' as const, isPlatformAdmin: false, roles: [] },
    ]) {
      expect(canSee(who, 'exchangeResources')).toBe(false);
      expect(canSee(who, 'exchangeLog')).toBe(false);
    }
  });
});
