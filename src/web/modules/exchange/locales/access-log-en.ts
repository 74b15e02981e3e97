import type { LocaleShape } from '../../../app/locales/zh-CN.ts';
import type { accessLogZh } from './access-log-zh-CN.ts';

// Strings of the access log, its notices and "my data", in English (merged into the exchange's).

export const accessLogEn: LocaleShape<typeof accessLogZh> = {
  log: {
    title: 'Access log',
    intro:
      'Every call through the exchange: who read which columns and how many rows, and why. The log is append-only and hash-chained against tampering.',
    filters: 'Filter the access log',
    time: 'Time',
    requester: 'Requesting department',
    system: 'System',
    user: 'User',
    resource: 'Resource',
    fields: 'Columns',
    rows: 'Rows',
    subjects: 'Data subjects',
    purpose: 'Purpose',
    case: 'Case',
    latency: 'Latency',
    outcome: 'Outcome',
    department: 'Department',
    allDepartments: 'All departments',
    allOutcomes: 'All outcomes',
    period: 'Period',
    from: 'From',
    to: 'To',
    empty: 'No accesses',
    operations: {
      records: 'Read records',
      lookup: 'Looked up a record',
      grant: 'Read the grant',
      extract: 'Downloaded a file extract',
    },
  },
  notices: {
    title: 'Reminders and escalations',
    intro:
      'Pending requests close to their decision deadline or past it. A reminder goes to the owner department’s data stewards and department admins one working day before the deadline; an overdue request is escalated to them, to the auditors over that department and to the platform administrators.',
    kind: 'Kind',
    createdAt: 'Time',
    request: 'Request',
    due: 'Decision due',
    empty: 'No notices',
    badge: '{{count}} notices',
  },
  myData: {
    title: 'Who used my data',
    intro:
      'Every time a government department reads data about you through the exchange, it is recorded here. Accesses withheld for a legal reason appear once their disclosure date has passed.',
    time: 'Time',
    department: 'Department',
    owner: 'Data owner',
    resource: 'Data resource',
    purpose: 'Purpose',
    case: 'Case',
    fields: 'Columns',
    disclosedAfter: 'Withheld by law until {{date}}',
    export: 'Export CSV',
    empty: 'No department has used your data yet',
    unverifiedTitle: 'Your identity needs to be verified first',
    unverified:
      'To protect personal information, who used your data is shown only after your identity has been verified. Bring your identity document (businesses: business licence and the representative’s ID) to a government service centre counter to have it verified.',
    unverifiedCode:
      'At the counter, get a counter code on the “My account” page and show it to the clerk with your document.',
    accountLink: 'Go to my account',
  },
};
