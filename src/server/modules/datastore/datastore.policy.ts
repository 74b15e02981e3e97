import type { ColumnSensitivity, MaskRule } from '../../../contracts/datastore.ts';
import { type Actor, hasRoleOver, isSystemActor } from '../../platform/auth/actor.ts';
import { belongsTo, canEditDataset, canViewDataset, type DatasetScope, isStaff } from '../catalog/index.ts';

// Who may read, load and describe DataStore tables, and which columns each caller sees in clear.
// Pure functions of the actor and the resource. Reading follows the catalog resource: whoever may see
// the resource may query its table. Columns then narrow by their sensitivity in the data dictionary.

export type { DatasetScope };

/** Querying, previewing and downloading a table: whoever may see its catalog resource. */
export const canReadDatastore = (actor: Actor | undefined, ds: DatasetScope) => canViewDataset(actor, ds);

/** Loading files and editing the dictionary: the provider's data stewards. */
export const canWriteDatastore = (actor: Actor, departmentPath: string) =>
  canEditDataset(actor, departmentPath);

/**
 * Classes of reader of one department's table, from most to least trusted: the provider's stewards
 * and admins, other members of the provider department, staff of other departments, the public.
 */
export const READER_CLASSES = ['steward', 'member', 'staff', 'public'] as const;
export type ReaderClass = (typeof READER_CLASSES)[number];

/** The class of an actor reading a table of the department at `departmentPath`. */
export function readerClassOf(actor: Actor | undefined, departmentPath: string): ReaderClass {
  if (!actor) return 'public';
  if (
    isSystemActor(actor) ||
    hasRoleOver(actor, 'data_steward', departmentPath) ||
    hasRoleOver(actor, 'dept_admin', departmentPath)
  )
    return 'steward';
  if (belongsTo(actor, departmentPath)) return 'member';
  // A platform admin may hold no department role (the demo's does not) and is still staff, not the public.
  return isStaff(actor) || actor.isPlatformAdmin ? 'staff' : 'public';
}

/** How a caller sees one column. */
export type ColumnAccess = 'clear' | 'masked' | 'hidden';

/**
 * public — clear to every reader; internal — clear to staff, hidden from the public; personal —
 * clear to the provider department, masked for everyone else (platform admins included: least
 * privilege); secret — clear to the provider's stewards and admins, hidden from everyone else.
 */
export function columnAccess(cls: ReaderClass, sensitivity: ColumnSensitivity): ColumnAccess {
  if (cls === 'steward' || sensitivity === 'public') return 'clear';
  if (sensitivity === 'internal') return cls === 'public' ? 'hidden' : 'clear';
  if (sensitivity === 'personal') return cls === 'member' ? 'clear' : 'masked';
  return 'hidden';
}

/** The rule a masked column is shown with: its own, or a full mask when it has none. */
export const effectiveMask = (mask: MaskRule): MaskRule => (mask === 'none' ? 'full' : mask);
