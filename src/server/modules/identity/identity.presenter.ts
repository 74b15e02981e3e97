import type {
  ApiTokenDto,
  DepartmentDto,
  PersonDto,
  RoleAssignmentDto,
} from '../../../contracts/identity.ts';
import type { Department } from '../../platform/db-schema.ts';
import type { PersonView } from './people.repository.ts';
import type { RoleRow } from './role.repository.ts';
import type { TokenRow } from './token.repository.ts';

// Rows → API shapes. Identifiers leave only as the stored mask; nothing here decrypts.

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));

export const toDepartmentDto = (d: Department): DepartmentDto => ({
  id: d.id,
  code: d.code,
  nameZh: d.name_zh,
  nameEn: d.name_en,
  parentId: d.parent_id,
  regionCode: d.region_code,
  active: d.active,
  createdAt: iso(d.created_at),
});

export const toRoleDto = (r: RoleRow): RoleAssignmentDto => ({
  id: r.id,
  personId: r.person_id,
  departmentId: r.department_id,
  departmentCode: r.code,
  departmentNameZh: r.name_zh,
  departmentNameEn: r.name_en,
  role: r.role,
  createdAt: iso(r.created_at),
});

export function toPersonDto(p: PersonView, roles: readonly RoleRow[], now = new Date()): PersonDto {
  // A lock that has run out is no lock; views should not show a stale date.
  const locked = p.locked_until && new Date(p.locked_until) > now ? iso(p.locked_until) : null;
  return {
    id: p.id,
    username: p.username,
    kind: p.kind,
    displayName: p.display_name,
    email: p.email,
    residentIdMasked: p.resident_id_masked,
    usccMasked: p.uscc_masked,
    companyName: p.company_name,
    isPlatformAdmin: p.is_platform_admin,
    status: p.status,
    lockedUntil: locked,
    totpEnabled: p.totp_enabled,
    lastLoginAt: isoOrNull(p.last_login_at),
    createdAt: iso(p.created_at),
    roles: roles.filter((r) => r.person_id === p.id).map(toRoleDto),
    identityVerifiedAt: isoOrNull(p.identity_verified_at),
    identifierReleaseDueAt: isoOrNull(p.identifier_release_due_at),
  };
}

export const toTokenDto = (t: TokenRow): ApiTokenDto => ({
  id: t.id,
  personId: t.person_id,
  username: t.username,
  name: t.name,
  prefix: t.prefix,
  createdAt: iso(t.created_at),
  expiresAt: isoOrNull(t.expires_at),
  lastUsedAt: isoOrNull(t.last_used_at),
  revokedAt: isoOrNull(t.revoked_at),
});
