import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { loadSegmenter } from '../../platform/text/index.ts';
import { catalogRoutes } from './catalog.routes.ts';
import { ckanRoutes } from './ckan/ckan.routes.ts';
import { dcatRoutes } from './dcat/dcat.routes.ts';
import { harvestRoutes } from './harvest/index.ts';

// The catalog module's public face: other modules, the demo loader and the CLI import only this file.
// Service functions run their own transaction and audit entry and check policy against the given actor.

export {
  belongsTo,
  canEditDataset,
  canViewDataset,
  type DatasetScope,
  isStaff,
} from './catalog.policy.ts';
export { getHistory, listLicenses, listThemes, portalOverview } from './catalog-info.service.ts';
export { type CkanAction, type CkanCall, intParam, requireParam } from './ckan/ckan-action.ts';
export { registerCkanActions } from './ckan/ckan-actions.ts';
export { validationError as ckanValidationError } from './ckan/ckan-envelope.ts';
export type { CkanData } from './ckan/ckan-package-input.ts';
export {
  answerDataRequest,
  createDataRequest,
  listDataRequests,
  trackDataRequest,
} from './data-request.service.ts';
export {
  createDataset,
  deleteDraft,
  getDataset,
  type HarvestOrigin,
  updateDataset,
} from './dataset.service.ts';
export { type DatasetChangedListener, onDatasetChanged } from './dataset-events.ts';
export {
  addFileDistribution,
  addLinkDistribution,
  deleteDistribution,
  openDownload,
  replaceDistributionFile,
  updateDistribution,
} from './distribution.service.ts';
export {
  type DistributionScope,
  type FileDistributionListener,
  findDistributionScope,
  onFileDistributionStored,
  type StoredFileEvent,
} from './distribution-scope.ts';
export { attachment, fileUploadOf } from './distributions.routes.ts';
export {
  getRun as getHarvestRun,
  getSource as getHarvestSource,
  harvestJobHandlers,
  harvestSchedulerTick,
  listSources as listHarvestSources,
  queueRunHere as queueHarvestRunHere,
} from './harvest/index.ts';
export { reviewDataset, submitDataset, withdrawDataset } from './lifecycle.service.ts';
export { warmSearchMirror } from './search/search-mirror.ts';
export { type CatalogSearchRequest, searchCatalog, searchDatasets } from './search.service.ts';
export { type RebuildReport, rebuildSearchIndex } from './search-index.ts';

/** Registers the catalog's REST routes, its DCAT-AP documents (/catalog.ttl, /dataset/{name}.ttl …) and the CKAN Action API. */
export async function catalogModule(app: FastifyInstance, opts: { ctx: AppContext }) {
  // jieba's dictionary loads once per process (~0.1 s): at start-up rather than in the first search.
  loadSegmenter();
  await app.register(catalogRoutes, opts);
  await app.register(dcatRoutes, opts);
  await app.register(harvestRoutes, opts);
  await app.register(ckanRoutes, opts);
}
