import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDcatFixtures, type DcatFixtures } from '../../../../../test/support/dcat-fixtures.ts';
import {
  DCAT_AP_SHAPES,
  formatShaclResults,
  validateCatalogShacl,
} from '../../../../../test/support/dcat-shacl.ts';
import { parseTurtle } from '../../../../../test/support/rdf-parse.ts';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import { CATALOG_PAGE_SIZE, catalogPage, datasetDocument } from './dcat.service.ts';
import { serializeRdf } from './dcat-serialize.ts';

// The export must conform to DCAT-AP 3.0.1: every page of the public catalog, whatever resources the
// database holds (here the fixtures, which fill every mapped field), validated by the official shapes.

const BASE = 'https://data.example.gov.cn';
let ctx: TestContext;
let fixtures: DcatFixtures;

beforeAll(async () => {
  ctx = await createTestContext();
  fixtures = await createDcatFixtures(ctx);
});
afterAll(async () => ctx?.dispose());

describe('DCAT-AP 3.0.1 SHACL', () => {
  it('uses the shapes as published (the copy in test/standards equals the one shared beside the repo)', () => {
    const shared = fileURLToPath(
      new URL('../../../../../../shared/standards/dcat-ap-3.0.1-SHACL.ttl', import.meta.url),
    );
    // A clone elsewhere has no shared/ beside it; the copy is then checked where it was made.
    if (!fs.existsSync(shared)) return;
    expect(fs.readFileSync(DCAT_AP_SHAPES).equals(fs.readFileSync(shared))).toBe(true);
  });

  it('finds no violation on any page of the catalog, as Turtle', async () => {
    let checked = 0;
    for (let page = 1; ; page++) {
      const quads = await catalogPage(ctx, {
        baseUrl: BASE,
        page,
        pageUrl: (n) => `${BASE}/catalog.ttl?page=${n}`,
      });
      // Validate what clients get (the written Turtle), not only the graph in memory.
      const report = await validateCatalogShacl(await serializeRdf(quads, 'ttl'));
      expect(report.violations, formatShaclResults(report.violations)).toHaveLength(0);
      expect(report.results, formatShaclResults(report.results)).toHaveLength(0);
      const datasets = parseTurtle(await serializeRdf(quads, 'ttl')).filter(
        (q) => q.predicate.value === 'http://www.w3.org/ns/dcat#dataset',
      );
      checked += datasets.length;
      if (datasets.length < CATALOG_PAGE_SIZE) break;
    }
    expect(checked).toBe(fixtures.publicNames.length);
  });

  it('finds no violation in a single resource document', async () => {
    for (const name of [fixtures.full.name, fixtures.minimal.name, fixtures.closed.name]) {
      const quads = await datasetDocument(ctx, systemActor(), BASE, name);
      const report = await validateCatalogShacl(quads);
      expect(report.violations, `${name}:\n${formatShaclResults(report.violations)}`).toHaveLength(0);
    }
  });

  it('reports violations when the graph breaks the profile', async () => {
    // Guards the guard: a catalog without its required publisher and a distribution without access URL.
    const report = await validateCatalogShacl(`
      @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
      <https://x.example/catalog> a dcat:Catalog ; dct:title "t"@en ; dct:description "d"@en .
      <https://x.example/d> a dcat:Distribution .`);
    expect(report.conforms).toBe(false);
    expect(report.violations.map((v) => v.path).sort()).toEqual([
      'http://purl.org/dc/terms/publisher',
      'http://www.w3.org/ns/dcat#accessURL',
    ]);
  });
});
