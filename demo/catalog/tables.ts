import type { DemoRow, DemoTable } from './define.ts';
import { ECONOMY_TABLES } from './economy.data.ts';
import { ENVIRONMENT_TABLES } from './environment.data.ts';
import { HEALTH_TABLES } from './health.data.ts';
import { MARKET_TABLES } from './market.data.ts';
import { SERVICES_TABLES } from './services.data.ts';
import { SOCIETY_TABLES } from './society.data.ts';
import { URBAN_TABLES } from './urban.data.ts';

/** Every department's demo catalog, in loading order. */
export const DEMO_CATALOG: readonly DemoTable[] = [
  ...ECONOMY_TABLES,
  ...MARKET_TABLES,
  ...SOCIETY_TABLES,
  ...HEALTH_TABLES,
  ...ENVIRONMENT_TABLES,
  ...URBAN_TABLES,
  ...SERVICES_TABLES,
];

/** Every demo row with its department code. */
export const demoRows = (): { department: string; row: DemoRow }[] =>
  DEMO_CATALOG.flatMap((t) => t.rows.map((row) => ({ department: t.department, row })));
