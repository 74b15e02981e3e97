import { describe, expect, it } from 'vitest';
import type { Actor, ActorRole } from '../../platform/auth/actor.ts';
import { auditScopeOf, canReadAudit, canSeeAuditEntry, canVerifyAudit } from './audit.policy.ts';

const actor = (roles: ActorRole[], isPlatformAdmin = false): Actor => ({
  personId: 'p',
  username: 'u',
  displayName: 'u',
  kind: 'staff',
  isPlatformAdmin,
  roles,
  via: 'session',
});

describe('audit policy', () => {
  const auditorOfB = actor([{ departmentId: 'b', departmentPath: 'a/b', role: 'auditor' }]);
  const adminOfB = actor([{ departmentId: 'b', departmentPath: 'a/b', role: 'dept_admin' }]);
  const platformAdmin = actor([], true);

  it('lets platform admins and auditors in, nobody else', () => {
    expect(canReadAudit(platformAdmin)).toBe(true);
    expect(canReadAudit(auditorOfB)).toBe(true);
    expect(canReadAudit(adminOfB)).toBe(false);
    expect(canVerifyAudit(auditorOfB)).toBe(true);
    expect(canVerifyAudit(adminOfB)).toBe(false);
  });

  it('scopes an auditor to the subtrees of their departments', () => {
    expect(auditScopeOf(platformAdmin)).toEqual({ kind: 'all' });
    expect(auditScopeOf(auditorOfB)).toEqual({ kind: 'departments', rootIds: ['b'] });
    expect(canSeeAuditEntry(auditorOfB, 'a/b')).toBe(true);
    expect(canSeeAuditEntry(auditorOfB, 'a/b/c')).toBe(true);
    expect(canSeeAuditEntry(auditorOfB, 'a')).toBe(false);
    expect(canSeeAuditEntry(auditorOfB, 'a/bb')).toBe(false);
    expect(canSeeAuditEntry(auditorOfB, null)).toBe(false);
    expect(canSeeAuditEntry(platformAdmin, null)).toBe(true);
    expect(canSeeAuditEntry(adminOfB, 'a/b')).toBe(false);
  });
});
