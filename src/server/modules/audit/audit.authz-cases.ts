import type { AuthzCase } from '../../../../test/support/authz.ts';
import { EVERYONE } from '../../../../test/support/authz.ts';

/** Who may reach each audit route (run for every persona by test/authz-matrix.test.ts). */
export const auditAuthzCases: AuthzCase[] = [
  { method: 'GET', route: '/api/audit', allow: ['auditor', 'platformAdmin'] },
  {
    method: 'GET',
    route: '/api/audit',
    url: (f) => `/api/audit?departmentId=${f.deptB.id}`,
    allow: ['auditor', 'platformAdmin'],
  },
  { method: 'POST', route: '/api/audit/verify', allow: ['auditor', 'platformAdmin'] },
  { method: 'GET', route: '/api/audit/checkpoints', allow: ['auditor', 'platformAdmin'] },
  { method: 'GET', route: '/.well-known/civitas-audit-key', allow: EVERYONE },
];
