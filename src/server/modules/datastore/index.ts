import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { onDatasetChanged, onFileDistributionStored, registerCkanActions } from '../catalog/index.ts';
import { DATASTORE_CKAN_ACTIONS } from './datastore.ckan.ts';
import { datastoreRoutes } from './datastore.routes.ts';
import { loadStoredFile } from './load.jobs.ts';
import { localImportRoutes } from './local-import.routes.ts';
import { qualityRoutes } from './quality/quality.routes.ts';
import { rescoreDataset } from './quality/quality.service.ts';

// The DataStore module's public face: other modules, the CLI and the server import only this file.

export { effectiveMask } from './datastore.policy.ts';
// What the exchange needs to read a table through a grant: the live relation, its dictionary, masking.
export { findTable as findDatastoreTable } from './datastore.repository.ts';
// The data dictionary as a steward corrects it (also the demo loader's way of setting sensitivity).
export { updateDictionary } from './dictionary.service.ts';
export { type ImportOutcome, type ImportRequest, importHere } from './import-here.ts';
export { datastoreJobHandlers, isLoadable, LOAD_JOB, queueLoad } from './load.jobs.ts';
export { cancelLoad, getDatastoreInfo, getLoad, loadUpload, reloadDistribution } from './load.service.ts';
export { executeLoad, type LoadSource } from './load-pipeline.ts';
export { cleanOrphanStaging } from './maintenance.ts';
export { qualityRefreshTick, refreshStaleQuality } from './quality/quality-refresh.ts';
export { exactInteger, searchDatastore } from './query.service.ts';
export { liveTable } from './table-names.ts';
export { maskExpression } from './types/index.ts';
export {
  onVersionPublished,
  type VersionPublishedEvent,
  type VersionPublishedListener,
} from './version-events.ts';

// Files stored as distributions are loaded as CKAN's XLoader does: in any process that serves the
// catalog (the server, and the demo loader it runs), registered once.
onFileDistributionStored(loadStoredFile);
// A metadata edit (licence, description, coverage …) changes the quality score's metadata criteria.
onDatasetChanged(rescoreDataset);
registerCkanActions(DATASTORE_CKAN_ACTIONS);

/** Registers the DataStore's routes (its CKAN actions join /api/3/action). */
export async function datastoreModule(app: FastifyInstance, opts: { ctx: AppContext }) {
  await app.register(datastoreRoutes, opts);
  await app.register(localImportRoutes, opts);
  await app.register(qualityRoutes, opts);
}
