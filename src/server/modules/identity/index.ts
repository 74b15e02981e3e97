import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { authRoutes } from './auth.routes.ts';
import { counterRoutes } from './counter.routes.ts';
import { departmentRoutes } from './departments.routes.ts';
import { meRoutes } from './me.routes.ts';
import { peopleRoutes } from './people.routes.ts';
import { roleRoutes } from './roles.routes.ts';
import { tokenRoutes } from './tokens.routes.ts';

// The identity module's public face: other modules, the demo loader and the CLI import only this file.
// The service functions run their own transaction and audit entry and check policy against the given
// actor; pass systemActor() (platform/auth/actor.ts) to act as the platform itself.

export { issueCounterCode } from './counter-code.service.ts';
export {
  applyDueReleases,
  identityTicks,
  listPendingReleases,
  releaseAtCounter,
  stopRelease,
} from './counter-release.service.ts';
export { lookupAtCounter, verifyAtCounter } from './counter-verification.service.ts';
export { createDepartment, findDepartmentByCode } from './department.service.ts';
export { verifyIdentity } from './identity-verification.service.ts';
export { createStaff, findPersonByUsername } from './people.service.ts';
export { registerPerson } from './registration.service.ts';
export { assignRole } from './role.service.ts';
export { createApiToken } from './token.service.ts';

/** Registers the sign-in, self-service and administration routes. */
export async function identityModule(app: FastifyInstance, opts: { ctx: AppContext }) {
  await app.register(authRoutes, opts);
  await app.register(meRoutes, opts);
  await app.register(departmentRoutes, opts);
  await app.register(peopleRoutes, opts);
  await app.register(counterRoutes, opts);
  await app.register(roleRoutes, opts);
  await app.register(tokenRoutes, opts);
}
