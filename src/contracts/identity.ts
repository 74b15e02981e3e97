import { type Static, Type } from 'typebox';
import { ErrorSchema, IdParams, literalUnion, Uuid } from './common.ts';

export { ErrorSchema, IdParams, literalUnion, Uuid };

// API shapes of the identity module, shared by server routes, the web app and the CLI.

export const PERSON_KINDS = ['citizen', 'business', 'staff'] as const;
export const DEPARTMENT_ROLES = [
  'dept_admin',
  'data_steward',
  'case_handler',
  'reviewer',
  'auditor',
  /** Service-hall counter / front-desk staff: real-name verification of residents and businesses. */
  'identity_verifier',
] as const;

export const PersonKindSchema = literalUnion(PERSON_KINDS);
export const DepartmentRoleSchema = literalUnion(DEPARTMENT_ROLES);
export type PersonKindName = (typeof PERSON_KINDS)[number];
export type DepartmentRoleName = (typeof DEPARTMENT_ROLES)[number];

export const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
export const Password = Type.String({ minLength: 1, maxLength: 256 });

// ---- departments -------------------------------------------------------------------------------
export const DepartmentSchema = Type.Object({
  id: Uuid,
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  parentId: Type.Union([Uuid, Type.Null()]),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Type.String(),
});
export type DepartmentDto = Static<typeof DepartmentSchema>;

export const DepartmentCode = Type.String({ minLength: 2, maxLength: 32, pattern: '^[A-Z0-9][A-Z0-9_-]*$' });
export const CreateDepartmentBody = Type.Object(
  {
    code: DepartmentCode,
    nameZh: Type.String({ minLength: 1, maxLength: 200 }),
    nameEn: Type.String({ minLength: 1, maxLength: 200 }),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    regionCode: Type.Optional(Type.Union([Type.String({ pattern: '^\\d{6}$' }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type CreateDepartmentInput = Static<typeof CreateDepartmentBody>;
export const UpdateDepartmentBody = Type.Partial(
  Type.Object(
    {
      nameZh: Type.String({ minLength: 1, maxLength: 200 }),
      nameEn: Type.String({ minLength: 1, maxLength: 200 }),
      parentId: Type.Union([Uuid, Type.Null()]),
      regionCode: Type.Union([Type.String({ pattern: '^\\d{6}$' }), Type.Null()]),
      active: Type.Boolean(),
    },
    { additionalProperties: false },
  ),
);
export type UpdateDepartmentInput = Static<typeof UpdateDepartmentBody>;

// ---- people ------------------------------------------------------------------------------------
export const RoleAssignmentSchema = Type.Object({
  id: Uuid,
  personId: Uuid,
  departmentId: Uuid,
  departmentCode: Type.String(),
  departmentNameZh: Type.String(),
  departmentNameEn: Type.String(),
  role: DepartmentRoleSchema,
  createdAt: Type.String(),
});
export type RoleAssignmentDto = Static<typeof RoleAssignmentSchema>;

/** A person as views show them: identifiers masked (1101**********123X), never in clear. */
export const PersonSchema = Type.Object({
  id: Uuid,
  username: Type.String(),
  kind: PersonKindSchema,
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  residentIdMasked: Type.Union([Type.String(), Type.Null()]),
  usccMasked: Type.Union([Type.String(), Type.Null()]),
  companyName: Type.Union([Type.String(), Type.Null()]),
  isPlatformAdmin: Type.Boolean(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  totpEnabled: Type.Boolean(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  roles: Type.Array(RoleAssignmentSchema),
  /** When staff checked a citizen's or business's identity documents (real-name verification); null until then. */
  identityVerifiedAt: Type.Union([Type.String(), Type.Null()]),
  /**
   * Counter staff were shown an ID card with this account's number by someone who could not show its
   * counter code: unless the account is verified before then, the number is released from it (and
   * the account disabled) at this time. Null when no release is pending.
   */
  identifierReleaseDueAt: Type.Union([Type.String(), Type.Null()]),
});
export type PersonDto = Static<typeof PersonSchema>;

export const ListPeopleQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  kind: Type.Optional(PersonKindSchema),
  departmentId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export const PeoplePage = Type.Object({ items: Type.Array(PersonSchema), total: Type.Integer() });

/** Staff accounts are created by admins; citizens and businesses register themselves. */
export const CreateStaffBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    password: Password,
    departmentId: Uuid,
    roles: Type.Array(DepartmentRoleSchema, { maxItems: 6 }),
  },
  { additionalProperties: false },
);
export type CreateStaffInput = Static<typeof CreateStaffBody>;

export const UpdatePersonBody = Type.Partial(
  Type.Object(
    {
      displayName: Type.String({ minLength: 1, maxLength: 100 }),
      email: Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()]),
      status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
    },
    { additionalProperties: false },
  ),
);

export const AssignRoleBody = Type.Object(
  { personId: Uuid, departmentId: Uuid, role: DepartmentRoleSchema },
  { additionalProperties: false },
);

export const ResetPasswordBody = Type.Object({ password: Password }, { additionalProperties: false });

/** Withdrawing a verification made in error: why. */
export const RevokeIdentityBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

// ---- counter verification ---------------------------------------------------------------------
export * from './identity-counter.ts';

// ---- registration and sign-in ------------------------------------------------------------------
export const RegisterBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('citizen'), Type.Literal('business')]),
    username: Username,
    password: Password,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    /** Required for citizens (GB 11643). */
    residentId: Type.Optional(Type.String({ maxLength: 32 })),
    /** Required for business users (GB 32100), with the company name. */
    uscc: Type.Optional(Type.String({ maxLength: 32 })),
    companyName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type RegisterInput = Static<typeof RegisterBody>;

export const LoginBody = Type.Object({ username: Type.String({ maxLength: 64 }), password: Password });
export const LoginResult = Type.Object({
  /** True when the password was right and a second factor must follow (POST /api/auth/mfa). */
  mfaRequired: Type.Boolean(),
});
export const MfaBody = Type.Object({
  code: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
  recoveryCode: Type.Optional(Type.String({ maxLength: 32 })),
});

/** GET /api/me: the signed-in person and the CSRF token the web app sends back on writes. */
export const MeSchema = Type.Object({
  person: PersonSchema,
  csrfToken: Type.Union([Type.String(), Type.Null()]),
  via: Type.Union([Type.Literal('session'), Type.Literal('token')]),
  /** Staff must enrol a second factor before using the console (when the platform requires it). */
  mfaEnrollmentRequired: Type.Boolean(),
  /** The person's preferred interface language (BCP 47 tag), null until they choose one. */
  locale: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type MeDto = Static<typeof MeSchema>;

/** PATCH /api/me: what people may change about themselves. */
export const UpdateMeBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()])),
    locale: Type.Optional(
      Type.Union([Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$' }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);
export type UpdateMeInput = Static<typeof UpdateMeBody>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

// ---- second factor -----------------------------------------------------------------------------
export const TotpSetupResult = Type.Object({
  secret: Type.String(),
  otpauthUri: Type.String(),
  /** PNG data URL of the otpauth URI, for authenticator apps. */
  qrDataUrl: Type.String(),
});
export const TotpEnableBody = Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) });
export const RecoveryCodesResult = Type.Object({ recoveryCodes: Type.Array(Type.String()) });
export const TotpDisableBody = Type.Object({
  password: Password,
  code: Type.String({ pattern: '^\\d{6}$' }),
});

// ---- API tokens --------------------------------------------------------------------------------
export const ApiTokenSchema = Type.Object({
  id: Uuid,
  personId: Uuid,
  username: Type.String(),
  name: Type.String(),
  /** First characters, enough to recognise a token without revealing it. */
  prefix: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
export type ApiTokenDto = Static<typeof ApiTokenSchema>;
export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresInDays: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 3650 }), Type.Null()])),
  },
  { additionalProperties: false },
);
/** The token itself is shown once, at creation. */
export const CreatedToken = Type.Object({ token: Type.String(), apiToken: ApiTokenSchema });

// ---- audit -------------------------------------------------------------------------------------
export const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Type.Union([Uuid, Type.Null()]),
  actorLabel: Type.String(),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  departmentId: Type.Union([Uuid, Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  ip: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});
export type AuditEntryDto = Static<typeof AuditEntrySchema>;
export const ListAuditQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 100 })),
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  targetId: Type.Optional(Type.String({ maxLength: 100 })),
  departmentId: Type.Optional(Uuid),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  /** Keyset paging: entries with seq below this. */
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});
export const AuditPage = Type.Object({
  items: Type.Array(AuditEntrySchema),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export const AuditVerifySchema = Type.Object({
  ok: Type.Boolean(),
  verified: Type.Integer(),
  lastSeq: Type.Integer(),
  checkpointsChecked: Type.Integer(),
  problem: Type.Optional(
    Type.Object({
      seq: Type.Integer(),
      kind: literalUnion(['changed', 'missing', 'reordered', 'truncated', 'bad_checkpoint']),
      message: Type.String(),
    }),
  ),
});
export type AuditVerifyDto = Static<typeof AuditVerifySchema>;
