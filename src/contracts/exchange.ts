import { type Static, Type } from 'typebox';
import { literalUnion, Nullable, Uuid } from './common.ts';
import { pageOf, pageParams } from './paging.ts';

// API shapes of the data-sharing exchange: the internal catalog of shared resources, access
// requests and their decisions, grants and their credentials, subscriptions, file extracts, the
// access log with its operational figures, and "my data" for citizens and businesses.
//
// Routes (staff API, session or API token):
//   GET  /api/exchange/resources                 internal catalog (shared resources, never "not shared")
//   GET  /api/exchange/resources/:id             one resource (dataset id) with its tables and usage
//   POST /api/exchange/requests                  ask for a table          GET /api/exchange/requests
//   GET  /api/exchange/requests/:id              with its history
//   POST /api/exchange/requests/:id/decision     owner approves (narrowing) or refuses
//   POST /api/exchange/requests/:id/withdraw     requester withdraws a pending request
//   GET  /api/exchange/grants                    GET /api/exchange/grants/:id (with history)
//   POST /api/exchange/grants/:id/credential     grantee issues (or rotates) the system credential
//   POST /api/exchange/grants/:id/{renew|suspend|resume|revoke}
//   GET|POST /api/exchange/grants/:id/subscriptions      DELETE /api/exchange/subscriptions/:id
//   GET|POST /api/exchange/grants/:id/extracts           GET /api/exchange/extracts/:id/download
//   GET  /api/exchange/access-log                the log rows a department may see
//   GET  /api/exchange/usage                     operational figures per resource / department
//   GET  /api/exchange/notices                   reminders and escalations for the caller's departments
//   GET  /api/me/data-access  (and ?format=csv)  "my data": accesses to records about the caller
// Gateway (system credential: `Authorization: Bearer cvx_…` or `X-Civitas-Credential`):
//   GET  /exchange/v1/grant                                   what the credential may do
//   GET  /exchange/v1/resources/:distributionId/lookup?field=&value=   once-only key lookup
//   GET  /exchange/v1/resources/:distributionId/records?filters=&limit=&offset=
//   GET  /exchange/v1/extracts/:id                            a ready file extract
//   headers: X-Civitas-Purpose, X-Civitas-Case, X-Civitas-User, X-Civitas-Withheld-Until;
//   every answer carries X-Civitas-Request-Id.

const Text = (min: number, max: number) => Type.String({ minLength: min, maxLength: max });
const When = Type.String({ format: 'date-time' });

export const REQUEST_STATES = ['pending', 'approved', 'refused', 'withdrawn'] as const;
export const GRANT_STATES = ['active', 'suspended', 'revoked', 'expired'] as const;
export const DELIVERIES = ['api', 'file'] as const;
export const ACCESS_OUTCOMES = ['ok', 'refused', 'rate_limited', 'invalid', 'error'] as const;
export const GRANT_ACTIONS = ['renew', 'suspend', 'resume', 'revoke'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];
export type GrantState = (typeof GRANT_STATES)[number];
export type GrantAction = (typeof GRANT_ACTIONS)[number];

/** A row filter: column id → the one value rows must have (e.g. the requester's own district). */
export const RowFilterSchema = Type.Record(Type.String({ minLength: 1, maxLength: 63 }), Text(1, 200), {
  maxProperties: 10,
});
const FieldList = Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { minItems: 1, maxItems: 500 });

// ---- internal catalog -------------------------------------------------------------------------
export const SharedColumnSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  labelEn: Type.Optional(Type.String()),
  type: Type.String(),
  sensitivity: Type.String(),
  description: Type.Optional(Type.String()),
});
/** A column's dictionary labels, for showing a request's, grant's or log row's columns by name. */
export const ColumnLabelSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  labelEn: Type.Optional(Type.String()),
});
export type ColumnLabel = Static<typeof ColumnLabelSchema>;
export const SharedTableSchema = Type.Object({
  distributionId: Uuid,
  name: Type.String(),
  rowCount: Type.Number(),
  columns: Type.Array(SharedColumnSchema),
});
export const UsageFiguresSchema = Type.Object({
  calls: Type.Number(),
  rows: Type.Number(),
  failures: Type.Number(),
  p50Ms: Nullable(Type.Number()),
  p95Ms: Nullable(Type.Number()),
  activeGrants: Type.Number(),
});
export const SharedResourceSchema = Type.Object({
  datasetId: Uuid,
  name: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  departmentId: Uuid,
  departmentNameZh: Type.String(),
  departmentNameEn: Type.String(),
  shareType: literalUnion(['unconditional', 'conditional'] as const),
  shareCondition: Nullable(Type.String()),
  updateCycle: Type.String(),
  dataItems: Type.Array(
    Type.Object({ name: Type.String(), type: Type.String(), description: Type.String() }),
  ),
  tables: Type.Array(SharedTableSchema),
  /** Figures of the last 30 days. */
  usage: UsageFiguresSchema,
});
export type SharedResource = Static<typeof SharedResourceSchema>;
export const SharedResourceQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  departmentId: Type.Optional(Uuid),
  shareType: Type.Optional(literalUnion(['unconditional', 'conditional'] as const)),
  ...pageParams(100),
});
export const SharedResourcePage = pageOf(SharedResourceSchema);

/** The platform's limits the forms check before sending (GET /api/exchange/settings). */
export const ExchangeSettingsSchema = Type.Object({
  /** The longest a request or renewal may run (CIVITAS_EXCHANGE_MAX_GRANT_DAYS). */
  maxGrantDays: Type.Integer(),
  /** The rate a grant gets when the owner names none. */
  defaultRatePerMinute: Type.Integer(),
  maxRatePerMinute: Type.Integer(),
});
export type ExchangeSettings = Static<typeof ExchangeSettingsSchema>;
/** The highest rate limit an owner may set on a grant. */
export const MAX_RATE_PER_MINUTE = 600_000;

// ---- requests ---------------------------------------------------------------------------------
export const CreateAccessRequestBody = Type.Object(
  {
    distributionId: Uuid,
    /** The department asking (the caller must be its dept_admin or data_steward). */
    requesterDepartmentId: Uuid,
    purpose: Text(2, 2000),
    legalBasis: Text(2, 1000),
    fields: FieldList,
    rowFilter: Type.Optional(RowFilterSchema),
    durationDays: Type.Integer({ minimum: 1, maximum: 1095 }),
    expectedCallsPerDay: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000 })),
    systemName: Text(1, 200),
    delivery: Type.Optional(literalUnion(DELIVERIES)),
    /** Accesses may be withheld from the data subjects for a while (investigations); the owner must agree. */
    confidential: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateAccessRequest = Static<typeof CreateAccessRequestBody>;

export const HistoryEntrySchema = Type.Object({
  at: When,
  actor: Type.String(),
  action: Type.String(),
  note: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});

export const AccessRequestSchema = Type.Object({
  id: Uuid,
  datasetId: Uuid,
  distributionId: Uuid,
  datasetName: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  ownerDepartmentId: Uuid,
  requesterDepartmentId: Uuid,
  requestedBy: Type.String(),
  purpose: Type.String(),
  legalBasis: Type.String(),
  fields: Type.Array(Type.String()),
  rowFilter: Type.Record(Type.String(), Type.String()),
  durationDays: Type.Number(),
  expectedCallsPerDay: Nullable(Type.Number()),
  systemName: Type.String(),
  delivery: literalUnion(DELIVERIES),
  confidential: Type.Boolean(),
  state: literalUnion(REQUEST_STATES),
  autoApproved: Type.Boolean(),
  dueAt: Nullable(When),
  overdue: Type.Boolean(),
  remindedAt: Nullable(When),
  escalatedAt: Nullable(When),
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(When),
  decisionReason: Nullable(Type.String()),
  grantId: Nullable(Uuid),
  createdAt: When,
  /** Dictionary labels of `fields` (a column dropped from the dictionary has none). */
  columnLabels: Type.Array(ColumnLabelSchema),
  history: Type.Optional(Type.Array(HistoryEntrySchema)),
});
export type AccessRequest = Static<typeof AccessRequestSchema>;

export const AccessRequestQuery = Type.Object({
  /** incoming: asked of the caller's departments; outgoing: asked by them. */
  side: Type.Optional(literalUnion(['incoming', 'outgoing'] as const)),
  state: Type.Optional(literalUnion(REQUEST_STATES)),
  departmentId: Type.Optional(Uuid),
  ...pageParams(100),
});
export const AccessRequestPage = pageOf(AccessRequestSchema);

/** The owner's decision. Approval may narrow fields, filter and duration, never widen them. */
export const DecisionBody = Type.Object(
  {
    decision: literalUnion(['approve', 'refuse'] as const),
    reason: Type.Optional(Text(1, 2000)),
    fields: Type.Optional(FieldList),
    rowFilter: Type.Optional(RowFilterSchema),
    durationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 1095 })),
    rateLimitPerMinute: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RATE_PER_MINUTE })),
    /** Personal fields the grantee may read in clear (never secret ones). */
    clearFields: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 500 })),
    /** Whether accesses may be withheld from data subjects (only when the request asked for it). */
    confidential: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Decision = Static<typeof DecisionBody>;

// ---- grants -----------------------------------------------------------------------------------
export const GrantSchema = Type.Object({
  id: Uuid,
  requestId: Uuid,
  datasetId: Uuid,
  distributionId: Uuid,
  datasetName: Type.String(),
  titleZh: Type.String(),
  titleEn: Type.String(),
  ownerDepartmentId: Uuid,
  granteeDepartmentId: Uuid,
  systemName: Type.String(),
  purpose: Type.String(),
  legalBasis: Type.String(),
  fields: Type.Array(Type.String()),
  clearFields: Type.Array(Type.String()),
  rowFilter: Type.Record(Type.String(), Type.String()),
  rateLimitPerMinute: Type.Number(),
  delivery: literalUnion(DELIVERIES),
  confidential: Type.Boolean(),
  /** `expired` when the expiry has passed while the stored state is still active. */
  state: literalUnion(GRANT_STATES),
  stateReason: Nullable(Type.String()),
  expiresAt: When,
  credentialPrefix: Nullable(Type.String()),
  credentialIssuedAt: Nullable(When),
  createdAt: When,
  /** Dictionary labels of `fields` (a column dropped from the dictionary has none). */
  columnLabels: Type.Array(ColumnLabelSchema),
  history: Type.Optional(Type.Array(HistoryEntrySchema)),
});
export type Grant = Static<typeof GrantSchema>;
export const GrantQuery = Type.Object({
  side: Type.Optional(literalUnion(['incoming', 'outgoing'] as const)),
  state: Type.Optional(literalUnion(GRANT_STATES)),
  datasetId: Type.Optional(Uuid),
  ...pageParams(100),
});
export const GrantPage = pageOf(GrantSchema);
export const GrantActionBody = Type.Object(
  {
    reason: Type.Optional(Text(1, 2000)),
    /** renew only: days added from now (at most the exchange's maximum grant length). */
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 1095 })),
  },
  { additionalProperties: false },
);
/** The credential, shown once. */
export const IssuedCredentialSchema = Type.Object({
  grantId: Uuid,
  credential: Type.String(),
  prefix: Type.String(),
  issuedAt: When,
});

// ---- subscriptions and extracts -------------------------------------------------------------------
export const CreateSubscriptionBody = Type.Object(
  { url: Type.String({ minLength: 8, maxLength: 2000, format: 'uri' }) },
  { additionalProperties: false },
);
export const SubscriptionSchema = Type.Object({
  id: Uuid,
  grantId: Uuid,
  url: Type.String(),
  state: literalUnion(['active', 'cancelled'] as const),
  createdAt: When,
  /** Only in the answer that creates it: the HMAC key webhooks are signed with. */
  secret: Type.Optional(Type.String()),
  lastDelivery: Nullable(
    Type.Object({
      at: When,
      state: literalUnion(['pending', 'delivered', 'failed'] as const),
      attempts: Type.Number(),
      lastStatus: Nullable(Type.Number()),
      lastError: Nullable(Type.String()),
    }),
  ),
});
export const CreateExtractBody = Type.Object(
  { format: Type.Optional(literalUnion(['csv', 'json'] as const)) },
  { additionalProperties: false },
);
export const ExtractSchema = Type.Object({
  id: Uuid,
  grantId: Uuid,
  state: literalUnion(['queued', 'running', 'ready', 'failed', 'expired'] as const),
  format: literalUnion(['csv', 'json'] as const),
  rowCount: Nullable(Type.Number()),
  sizeBytes: Nullable(Type.Number()),
  checksum: Nullable(Type.String()),
  error: Nullable(Type.String()),
  requestedBy: Type.String(),
  createdAt: When,
  finishedAt: Nullable(When),
  /** Until when a finished extract may be downloaded (its grant still active); null while not finished. */
  expiresAt: Type.Optional(Nullable(When)),
});

// ---- access log, figures, notices, my data ----------------------------------------------------------
export const AccessLogEntrySchema = Type.Object({
  seq: Nullable(Type.Number()),
  at: When,
  callId: Type.String(),
  grantId: Nullable(Uuid),
  requesterDepartmentId: Nullable(Uuid),
  ownerDepartmentId: Nullable(Uuid),
  datasetId: Nullable(Uuid),
  distributionId: Nullable(Uuid),
  systemName: Nullable(Type.String()),
  userRef: Nullable(Type.String()),
  operation: Type.String(),
  /** The resource read (null for calls refused before a grant was known). */
  titleZh: Nullable(Type.String()),
  titleEn: Nullable(Type.String()),
  fields: Type.Array(Type.String()),
  /** Dictionary labels of `fields`. */
  columnLabels: Type.Array(ColumnLabelSchema),
  rowCount: Type.Number(),
  subjectCount: Type.Number(),
  purpose: Nullable(Type.String()),
  caseRef: Nullable(Type.String()),
  withheldUntil: Nullable(Type.String()),
  latencyMs: Type.Number(),
  outcome: literalUnion(ACCESS_OUTCOMES),
  status: Type.Number(),
});
export const AccessLogQuery = Type.Object({
  departmentId: Type.Optional(Uuid),
  grantId: Type.Optional(Uuid),
  datasetId: Type.Optional(Uuid),
  outcome: Type.Optional(literalUnion(ACCESS_OUTCOMES)),
  from: Type.Optional(When),
  to: Type.Optional(When),
  ...pageParams(200),
});
export const AccessLogPage = pageOf(AccessLogEntrySchema);
export const UsageQuery = Type.Object({
  datasetId: Type.Optional(Uuid),
  departmentId: Type.Optional(Uuid),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
});
export const UsageSchema = Type.Object({
  days: Type.Number(),
  total: UsageFiguresSchema,
  /** Per requesting department. */
  byDepartment: Type.Array(Type.Intersect([Type.Object({ departmentId: Uuid }), UsageFiguresSchema])),
  /** Per resource (dataset). */
  byResource: Type.Array(Type.Intersect([Type.Object({ datasetId: Uuid }), UsageFiguresSchema])),
});
export const NoticeSchema = Type.Object({
  id: Type.Number(),
  requestId: Uuid,
  /** The owner department the notice is addressed to. */
  departmentId: Uuid,
  /** Who asked: notices of one resource differ by it. */
  requesterDepartmentId: Uuid,
  kind: literalUnion(['reminder', 'escalation'] as const),
  createdAt: When,
  titleZh: Type.String(),
  titleEn: Type.String(),
  dueAt: Nullable(When),
});
export const MyDataEntrySchema = Type.Object({
  at: When,
  requesterDepartmentId: Nullable(Uuid),
  requesterDepartmentZh: Type.String(),
  requesterDepartmentEn: Type.String(),
  ownerDepartmentZh: Type.String(),
  ownerDepartmentEn: Type.String(),
  resourceTitleZh: Type.String(),
  resourceTitleEn: Type.String(),
  purpose: Nullable(Type.String()),
  caseRef: Nullable(Type.String()),
  fields: Type.Array(Type.String()),
  /** The fields' dictionary labels (Chinese, and English where the steward gave one). */
  columnLabels: Type.Array(ColumnLabelSchema),
  /** Set when the entry was withheld for a legal reason until then (shown since it passed). */
  disclosedAfter: Nullable(Type.String()),
});
export const MyDataQuery = Type.Object({
  format: Type.Optional(literalUnion(['json', 'csv'] as const)),
  /** The CSV's language (the web app's, which may differ from the browser's Accept-Language). */
  lang: Type.Optional(literalUnion(['zh-CN', 'en'] as const)),
  ...pageParams(200),
});
export const MyDataPage = pageOf(MyDataEntrySchema);
