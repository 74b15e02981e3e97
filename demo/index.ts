// The demo city: a fictional government (岚山市 / Lanshan City) with departments, staff in every
// role, citizens and businesses, its data catalog and the data its departments exchange; loaded by
// `civitas demo` and by `civitas start` on an empty database.
export { type DemoCatalogSummary, loadDemoCatalog } from './catalog/load-catalog.ts';
export { DEMO_CATALOG } from './catalog/tables.ts';
export { DEMO_CITY_REGION_CODE, DEMO_DEPARTMENTS } from './departments.ts';
export { type DemoExchangeSummary, loadDemoExchange } from './exchange.ts';
export { type DemoSummary, demoAccounts, type LoadDemoOptions, loadDemo } from './load-demo.ts';
export {
  DEMO_BUSINESSES,
  DEMO_CITIZENS,
  DEMO_PUBLIC_PASSWORD,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
} from './people.ts';
