import os from 'node:os';
import path from 'node:path';
import { type RawBuilder, sql } from 'kysely';
import type { CreateDatasetInput } from '../src/contracts/catalog.ts';
import type { DictionaryColumn } from '../src/contracts/datastore.ts';
import type { CreateDepartmentInput } from '../src/contracts/identity.ts';
import {
  addLinkDistribution,
  createDataset,
  reviewDataset,
  submitDataset,
} from '../src/server/modules/catalog/index.ts';
import { createColumnIndex } from '../src/server/modules/datastore/build-version.ts';
import { lockTable } from '../src/server/modules/datastore/datastore.repository.ts';
import { publishVersion } from '../src/server/modules/datastore/publish-version.ts';
import { versionTable } from '../src/server/modules/datastore/table-names.ts';
import { createDepartment } from '../src/server/modules/identity/index.ts';
import type { Actor } from '../src/server/platform/auth/actor.ts';
import { type Config, loadConfig } from '../src/server/platform/config.ts';
import { type AppContext, createContext } from '../src/server/platform/context.ts';
import { ephemeralSecrets } from '../src/server/platform/secrets.ts';
import { type BenchDatabase, timed } from './bench-support.ts';

// The setup of the benchmarks that query a large DataStore table (datastore-query, exchange-gateway):
// a silent app context on the fresh database, and a published dataset whose table is generated in
// SQL and published through the DataStore's own publish step (views, dictionary), as a load would.

/** The app's context on a benchmark database: default configuration, its own data directory, no logs. */
export function benchContext(
  bench: BenchDatabase,
  dataDir: string,
  overrides: Partial<Config> = {},
): AppContext {
  const config = loadConfig({ dataDir: path.join(os.tmpdir(), dataDir) }, {});
  return createContext({ ...config, logLevel: 'silent', ...overrides }, bench.handle, ephemeralSecrets());
}

/** A dictionary column, public and unmasked unless `o` says otherwise. */
export const dictionaryColumn = (id: string, o: Partial<DictionaryColumn> = {}): DictionaryColumn => ({
  id,
  label: id,
  type: 'text',
  sensitivity: 'public',
  mask: 'none',
  ...o,
});

export interface GeneratedTableSpec {
  department: CreateDepartmentInput;
  dataset: Omit<CreateDatasetInput, 'departmentId'>;
  distribution: { name: string; url: string };
  rows: number;
  /** The select list of the table after `_id`, in terms of `g`, the row number from 1 to `rows`. */
  select: RawBuilder<unknown>;
  columns: DictionaryColumn[];
  /** The column indexed (as a steward would from the dictionary). */
  indexed: string;
  /** Analyse the table inside the transaction, before it is published (besides the vacuum after). */
  analyzeBeforePublish?: boolean;
}

/**
 * Creates the department and its published dataset with one distribution, then generates the
 * distribution's table (version 1, keyed on `_id`) and publishes it; vacuums and analyses it.
 * Returns the ids and the seconds the table took to generate and publish.
 */
export async function generatedTable(ctx: AppContext, actor: Actor, spec: GeneratedTableSpec) {
  const department = await createDepartment(ctx, actor, spec.department);
  const ds = await createDataset(ctx, actor, { ...spec.dataset, departmentId: department.id });
  const dist = (await addLinkDistribution(ctx, actor, ds.id, spec.distribution)).distributions[0]!.id;
  await submitDataset(ctx, actor, ds.id);
  await reviewDataset(ctx, actor, ds.id, { decision: 'publish' });
  const generated = await timed(() =>
    ctx.db.transaction().execute(async (trx) => {
      await lockTable(trx, dist, ds.id);
      await sql`create table ${versionTable(dist, 1)} as
          select g::bigint as _id, ${spec.select}
          from generate_series(1, ${sql.lit(spec.rows)}) g`.execute(trx);
      await sql`alter table ${versionTable(dist, 1)} add primary key (_id)`.execute(trx);
      await createColumnIndex(trx, dist, 1, spec.indexed);
      if (spec.analyzeBeforePublish) await sql`analyze ${versionTable(dist, 1)}`.execute(trx);
      await publishVersion(trx, {
        distributionId: dist,
        datasetId: ds.id,
        departmentId: department.id,
        loadId: null,
        version: 1,
        mode: 'replace',
        rows: spec.rows,
        columns: spec.columns,
        key: [],
        checksum: null,
        sourceName: 'generated',
        summary: null,
        keep: 5,
        actor,
      });
    }),
  );
  await sql`vacuum analyze ${versionTable(dist, 1)}`.execute(ctx.db);
  return { department, datasetId: ds.id, distributionId: dist, seconds: generated.seconds };
}
