// The demo city: a fictional government (岚山市 / Lanshan City) with departments, staff in every
// role, citizens and businesses, loaded by `civitas demo` and by `civitas start` on an empty database.
export { DEMO_CITY_REGION_CODE, DEMO_DEPARTMENTS } from './departments.ts';
export { type DemoSummary, demoAccounts, type LoadDemoOptions, loadDemo } from './load-demo.ts';
export {
  DEMO_BUSINESSES,
  DEMO_CITIZENS,
  DEMO_PUBLIC_PASSWORD,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
} from './people.ts';
