import { type Static, Type } from 'typebox';
import { Uuid } from './common.ts';

// API shapes of counter (service-hall) real-name verification: looking up an account by the
// identifier on a document, verifying it with the holder's counter code, releasing an identifier
// from an account its holder does not control, and the admins' follow-up lists. Re-exported from
// identity.ts, which importers use.

/** The full resident ID number or unified social credit code presented at the counter. */
export const CounterIdentifier = Type.String({ minLength: 1, maxLength: 32 });

/** POST /api/identity-verification/lookup: exactly one identifier, in full (no partial search). */
export const CounterLookupBody = Type.Object(
  { identifier: CounterIdentifier },
  { additionalProperties: false },
);

/** What counter staff see of an account: enough to match it to the document in hand, nothing more. */
export const CounterAccountSchema = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('citizen'), Type.Literal('business')]),
  /** The name with all but its first and last characters hidden (张*丰). */
  displayNameMasked: Type.String(),
  identifierMasked: Type.String(),
  /** Business accounts: the company, as registered (public record). */
  companyName: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  registeredAt: Type.String(),
  identityVerifiedAt: Type.Union([Type.String(), Type.Null()]),
  /** A release asked for at a counter takes effect then, unless the account is verified first; null when none is pending. */
  releaseDueAt: Type.Union([Type.String(), Type.Null()]),
});
export type CounterAccountDto = Static<typeof CounterAccountSchema>;

/** A resident ID belongs to one account; a credit code may be shared by several people acting for one company. */
export const CounterLookupResult = Type.Object({ items: Type.Array(CounterAccountSchema) });
export type CounterLookupResultDto = Static<typeof CounterLookupResult>;

/**
 * The one-time code the account holder shows at the counter (8 characters; spaces and hyphens are
 * ignored). Optional in the schema so that a request without it gets the stable
 * `identity.counter_code_required` rather than a generic validation error.
 */
export const CounterCode = Type.String({ maxLength: 32 });

/**
 * POST /api/identity-verification: the identifier again (the document in hand), the account, the
 * holder's counter code (proof they control the account) and how the document was checked.
 */
export const CounterVerifyBody = Type.Object(
  {
    identifier: CounterIdentifier,
    personId: Uuid,
    code: Type.Optional(CounterCode),
    note: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CounterVerifyInput = Static<typeof CounterVerifyBody>;

/**
 * Default days between a counter's request to release a number and its effect (counter-release.service.ts
 * says why); the server's setting CIVITAS_IDENTIFIER_RELEASE_NOTICE_DAYS decides, so clients show the
 * due date the server answers (releaseDueAt), never a date reckoned from this.
 */
export const IDENTIFIER_RELEASE_NOTICE_DAYS = 14;

/** POST /api/identity-verification/release: free the identifier (after a notice period) from an account its holder does not control. */
export const CounterReleaseBody = Type.Object(
  {
    identifier: CounterIdentifier,
    personId: Uuid,
    note: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type CounterReleaseInput = Static<typeof CounterReleaseBody>;

/** DELETE /api/people/:id/identifier-release: why an admin stops a pending release (a hotline call, a mistake). */
export const StopReleaseBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** A release in its notice period, for the admins who follow it up (and may stop it). */
export const PendingReleaseSchema = Type.Object({
  account: CounterAccountSchema,
  requestedAt: Type.Union([Type.String(), Type.Null()]),
  requestedByLabel: Type.Union([Type.String(), Type.Null()]),
  /** The department whose counter asked; null when a platform admin asked outside any department. */
  departmentId: Type.Union([Uuid, Type.Null()]),
  departmentNameZh: Type.Union([Type.String(), Type.Null()]),
  departmentNameEn: Type.Union([Type.String(), Type.Null()]),
});
export type PendingReleaseDto = Static<typeof PendingReleaseSchema>;
export const PendingReleasesQuery = Type.Object({
  /** Only releases asked by this department's counters (or those of departments below it). */
  departmentId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export const PendingReleasesPage = Type.Object({
  items: Type.Array(PendingReleaseSchema),
  total: Type.Integer(),
});
export type PendingReleasesPageDto = Static<typeof PendingReleasesPage>;

/** POST /api/me/identity-verification/code: the new code, shown once, and when it stops working. */
export const CounterCodeResult = Type.Object({
  code: Type.String(),
  expiresAt: Type.String(),
});
export type CounterCodeDto = Static<typeof CounterCodeResult>;

/** A verification recorded by a department's counter staff, for its admins (who may withdraw it). */
export const VerificationRecordSchema = Type.Object({
  account: CounterAccountSchema,
  verifiedByLabel: Type.Union([Type.String(), Type.Null()]),
  departmentId: Type.Union([Uuid, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
});
export type VerificationRecordDto = Static<typeof VerificationRecordSchema>;
export const VerificationRecordsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export const VerificationRecordsPage = Type.Object({
  items: Type.Array(VerificationRecordSchema),
  total: Type.Integer(),
});
