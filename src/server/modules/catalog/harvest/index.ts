// Harvesting's face to the rest of the catalog module (catalog/index.ts re-exports what others need).

export { harvestJobHandlers, harvestSchedulerTick, queueRunHere } from './harvest.jobs.ts';
export { harvestRoutes } from './harvest.routes.ts';
export {
  createSource,
  deactivateSource,
  getRun,
  getSource,
  listRuns,
  listSources,
  requestRun,
  updateSource,
} from './harvest-source.service.ts';
