import type { Migration } from 'kysely/migration';
import * as m20261122T0700 from './2026-11-22T0700-identity-and-audit.ts';

/** Every migration in order. Listed statically so that the bundle-free CLI and the tests see the same set. */
export const migrations: Record<string, Migration> = {
  '2026-11-22T0700-identity-and-audit': m20261122T0700,
};
