import { type Static, Type } from 'typebox';
import { literalUnion, Nullable, Uuid } from './common.ts';
import { DELIVERIES, GRANT_STATES } from './exchange.ts';

// Shapes of the gateway (/exchange/v1/…), which departments' systems call with a grant's
// credential (routes and headers are listed in exchange.ts). Kept apart from exchange.ts, which
// holds the staff API.

/** The header a caller states its purpose in (required), as X-Road's X-Road-Issue. */
export const GATEWAY_HEADERS = {
  purpose: 'x-civitas-purpose',
  case: 'x-civitas-case',
  user: 'x-civitas-user',
  withheldUntil: 'x-civitas-withheld-until',
  requestId: 'x-civitas-request-id',
} as const;

/** At most this many rows per records page, and the default. */
export const GATEWAY_MAX_LIMIT = 1000;
export const GATEWAY_DEFAULT_LIMIT = 100;
/** A lookup returns at most this many rows (a key should match one). */
export const GATEWAY_LOOKUP_LIMIT = 100;

export const GatewayFieldSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  /** masked: the value arrives masked as the data dictionary says. */
  access: literalUnion(['clear', 'masked'] as const),
});

/** What a credential may do. */
export const GatewayGrantSchema = Type.Object({
  grantId: Uuid,
  datasetId: Uuid,
  distributionId: Uuid,
  titleZh: Type.String(),
  titleEn: Type.String(),
  ownerDepartmentId: Uuid,
  granteeDepartmentId: Uuid,
  systemName: Type.String(),
  purpose: Type.String(),
  fields: Type.Array(GatewayFieldSchema),
  rowFilter: Type.Record(Type.String(), Type.String()),
  rateLimitPerMinute: Type.Number(),
  delivery: literalUnion(DELIVERIES),
  /** Whether calls may withhold their log entries from the data subjects for a while. */
  confidential: Type.Boolean(),
  state: literalUnion(GRANT_STATES),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type GatewayGrant = Static<typeof GatewayGrantSchema>;

export const LookupQuery = Type.Object({
  field: Type.String({ minLength: 1, maxLength: 63 }),
  value: Type.String({ minLength: 1, maxLength: 200 }),
});
export const RecordsQuery = Type.Object({
  /** JSON object: column id → the value rows must have (granted columns only). */
  filters: Type.Optional(Type.String({ maxLength: 4000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: GATEWAY_MAX_LIMIT })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
});
export const DistributionParams = Type.Object({ distributionId: Uuid });

const GatewayRecord = Type.Record(Type.String(), Type.Unknown());
export const GatewayRecordsSchema = Type.Object({
  requestId: Type.String(),
  fields: Type.Array(GatewayFieldSchema),
  records: Type.Array(GatewayRecord),
  /** Paging of /records (null for lookups). */
  limit: Nullable(Type.Number()),
  offset: Nullable(Type.Number()),
  hasMore: Type.Boolean(),
});
export type GatewayRecords = Static<typeof GatewayRecordsSchema>;
