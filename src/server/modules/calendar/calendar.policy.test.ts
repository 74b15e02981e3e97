import { describe, expect, it } from 'vitest';
import { type Actor, type ActorRole, systemActor } from '../../platform/auth/actor.ts';
import { canManageCalendar } from './calendar.policy.ts';

const staff = (isPlatformAdmin: boolean, roles: ActorRole[] = []): Actor => ({
  personId: 'p',
  username: 'u',
  displayName: 'U',
  kind: 'staff',
  isPlatformAdmin,
  roles,
  via: 'session',
});

describe('calendar policy', () => {
  it('lets platform admins (and the system) manage working-day overrides', () => {
    expect(canManageCalendar(staff(true))).toBe(true);
    expect(canManageCalendar(systemActor())).toBe(true);
  });

  it('refuses department admins, auditors and everyone else', () => {
    for (const role of ['dept_admin', 'auditor', 'data_steward'] as const) {
      expect(canManageCalendar(staff(false, [{ departmentId: 'd', departmentPath: 'd', role }]))).toBe(false);
    }
    expect(canManageCalendar(staff(false))).toBe(false);
  });
});
