import type { AuthzCase } from '../../../../test/support/authz.ts';

// Who may reach each calendar route (run for every persona by test/authz-matrix.test.ts). Overrides
// move every department's deadlines, so only platform admins read or change them. Each write case
// uses a day of its own far in the future, so the matrix cannot disturb other tests' deadlines.

export const calendarAuthzCases: AuthzCase[] = [
  {
    method: 'GET',
    route: '/api/admin/working-days',
    url: () => '/api/admin/working-days?from=2026-10-01&to=2026-10-31',
    allow: ['platformAdmin'],
  },
  {
    method: 'PUT',
    route: '/api/admin/working-days/:day',
    url: () => '/api/admin/working-days/2199-12-30',
    body: () => ({ working: false, note: 'authz matrix' }),
    allow: ['platformAdmin'],
  },
  // Without an override the admin gets 404: past authorisation, which is what the matrix checks.
  {
    method: 'DELETE',
    route: '/api/admin/working-days/:day',
    url: () => '/api/admin/working-days/2199-12-31',
    allow: ['platformAdmin'],
  },
];
