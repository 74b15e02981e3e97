import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Quad } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDcatFixtures, type DcatFixtures } from '../../../../../test/support/dcat-fixtures.ts';
import {
  canonicalLines,
  parseJsonLd,
  parseRdfXml,
  parseTurtle,
} from '../../../../../test/support/rdf-parse.ts';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { buildApp } from '../../../app.ts';
import { systemActor } from '../../../platform/auth/actor.ts';
import { updateDataset } from '../dataset.service.ts';
import { dcatRoutes } from './dcat.routes.ts';
import { catalogPage } from './dcat.service.ts';
import { NS } from './dcat-vocab.ts';

// The DCAT-AP export over HTTP: the three formats describe the same graph, only the public catalog is
// listed, Hydra pages it, and a dataset's URL serves RDF or the web app by the Accept header.

const HOST = 'portal.example';
const BASE = `http://${HOST}`;
const SPA = '<!doctype html><title>Civitas SPA</title>';
const dcat = (l: string) => `${NS.dcat}${l}`;
const dct = (l: string) => `${NS.dct}${l}`;
const hydra = (l: string) => `${NS.hydra}${l}`;
const RDF_TYPE = `${NS.rdf}type`;

let ctx: TestContext;
let app: FastifyInstance;
let fx: DcatFixtures;
let webDir: string;

beforeAll(async () => {
  ctx = await createTestContext();
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'civitas-dcat-web-'));
  fs.writeFileSync(path.join(webDir, 'index.html'), SPA);
  app = await buildApp(ctx, { logger: false, webDir });
  // Until app.ts registers the export itself, the test does.
  if (!app.hasRoute({ method: 'GET', url: '/catalog.ttl' })) await app.register(dcatRoutes, { ctx });
  await app.ready();
  fx = await createDcatFixtures(ctx);
});
afterAll(async () => {
  await app?.close();
  await ctx?.dispose();
  fs.rmSync(webDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers: { host: HOST, ...headers } });

async function parse(body: string, contentType: string): Promise<Quad[]> {
  if (contentType.startsWith('application/ld+json')) return parseJsonLd(body);
  if (contentType.startsWith('application/rdf+xml')) return parseRdfXml(body);
  return parseTurtle(body);
}

const objects = (quads: readonly Quad[], s: string, p: string) =>
  quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value);
const literals = (quads: readonly Quad[], s: string, p: string) =>
  quads
    .filter((q) => q.subject.value === s && q.predicate.value === p && q.object.termType === 'Literal')
    .map(
      (q) =>
        `${q.object.value}${q.object.termType === 'Literal' && q.object.language ? `@${q.object.language}` : ''}`,
    );

describe('GET /catalog.{ttl,jsonld,rdf,nt}', () => {
  const formats = [
    ['ttl', 'text/turtle'],
    ['jsonld', 'application/ld+json'],
    ['rdf', 'application/rdf+xml'],
    ['nt', 'application/n-triples'],
  ] as const;

  it('serves the same graph in every format, with the media type and charset', async () => {
    const graphs: string[][] = [];
    for (const [ext, type] of formats) {
      const res = await get(`/catalog.${ext}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      // Only the paging links differ: each names the document in its own format.
      const lines = canonicalLines(await parse(res.body, type));
      graphs.push(lines.map((l) => l.replaceAll(`/catalog.${ext}?`, '/catalog.*?')));
    }
    expect(graphs[0]?.length).toBeGreaterThan(100);
    for (const g of graphs.slice(1)) expect(g).toEqual(graphs[0]);
  });

  it('lists exactly the published open resources with their DCAT-AP properties', async () => {
    const res = await get('/catalog.ttl');
    const quads = parseTurtle(res.body);
    const catalog = `${BASE}/catalog`;
    expect(objects(quads, catalog, RDF_TYPE)).toEqual([dcat('Catalog')]);
    expect(objects(quads, catalog, dcat('dataset')).sort()).toEqual(
      fx.publicNames.map((n) => `${BASE}/dataset/${n}`).sort(),
    );
    expect(res.body).not.toContain(fx.closed.name);
    expect(res.body).not.toContain(fx.draft.name);
    expect(objects(quads, catalog, dct('publisher'))).toEqual([`${BASE}/organization/DX-GOV`]);

    const d = `${BASE}/dataset/${fx.full.name}`;
    expect(literals(quads, d, dct('title')).sort()).toEqual([
      'Quarterly GDP of the city@en',
      '全市季度地区生产总值@zh',
    ]);
    expect(literals(quads, d, dct('identifier'))).toEqual(['339900-DX-GDP-00001']);
    expect(objects(quads, d, dcat('theme'))).toContain(
      'http://publications.europa.eu/resource/authority/data-theme/ECON',
    );
    expect(objects(quads, d, dct('accrualPeriodicity'))).toEqual([
      'http://publications.europa.eu/resource/authority/frequency/MONTHLY',
    ]);
    expect(objects(quads, d, dct('accessRights'))).toEqual([
      'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
    ]);
    expect(objects(quads, d, dct('spatial')).sort()).toEqual(['urn:gbt2260:339900', 'urn:gbt2260:339901']);
    expect(objects(quads, `${d}#temporal`, dcat('startDate'))).toEqual(['2020-01-01']);
    expect(objects(quads, `${d}#contact`, `${NS.vcard}hasEmail`)).toEqual([
      'mailto:data@stats.example.gov.cn',
    ]);
    expect(objects(quads, d, dct('publisher'))).toEqual([`${BASE}/organization/DX-STAT`]);

    const file = fx.full.distributions.find((x) => x.kind === 'file');
    const r = `${d}/resource/${file?.id}`;
    const download = `${BASE}/api/catalog/distributions/${file?.id}/download`;
    expect(objects(quads, r, dcat('downloadURL'))).toEqual([download]);
    expect(objects(quads, r, dcat('accessURL'))).toEqual([download]);
    expect(objects(quads, r, dct('format'))).toEqual([
      'http://publications.europa.eu/resource/authority/file-type/CSV',
    ]);
    expect(objects(quads, r, dcat('mediaType'))).toEqual([
      'https://www.iana.org/assignments/media-types/text/csv',
    ]);
    expect(objects(quads, r, dcat('byteSize'))).toEqual([String(file?.sizeBytes)]);
    expect(objects(quads, `${r}#checksum`, `${NS.spdx}checksumValue`)).toEqual([file?.checksum]);
    expect(objects(quads, r, dct('license'))).toEqual(['http://www.opendefinition.org/licenses/cc-by']);
    const link = fx.full.distributions.find((x) => x.kind === 'link');
    expect(objects(quads, `${d}/resource/${link?.id}`, dcat('accessURL'))).toEqual([link?.url]);
    expect(objects(quads, `${d}/resource/${link?.id}`, dcat('downloadURL'))).toEqual([]);
  });

  it('keeps awkward text intact in every format', async () => {
    const m = `${BASE}/dataset/${fx.minimal.name}`;
    const dist = `${m}/resource/${fx.minimal.distributions[0]?.id}`;
    for (const [ext, type] of formats) {
      const quads = await parse((await get(`/catalog.${ext}`)).body, type);
      expect(literals(quads, m, dct('title')), ext).toEqual(['最简资源 <&> "引号"@zh']);
      // No description was given: the title stands in, as DCAT-AP requires one.
      expect(literals(quads, m, dct('description')), ext).toEqual(['最简资源 <&> "引号"@zh']);
      expect(literals(quads, dist, dct('title')), ext).toEqual(['链接 & 说明\r\n第二行@zh']);
      expect(objects(quads, dist, dcat('accessURL')), ext).toEqual([
        'https://example.org/data/a%20b.csv?x=1&y=%3C2%3E',
      ]);
    }
  });

  it('describes its paging with Hydra', async () => {
    const quads = parseTurtle((await get('/catalog.ttl')).body);
    const view = `${BASE}/catalog.ttl?page=1`;
    expect(objects(quads, `${BASE}/catalog`, hydra('view'))).toEqual([view]);
    expect(objects(quads, view, RDF_TYPE).sort()).toEqual([
      hydra('PagedCollection'),
      hydra('PartialCollectionView'),
    ]);
    expect(objects(quads, view, hydra('totalItems'))).toEqual([String(fx.publicNames.length)]);
    expect(objects(quads, view, hydra('first'))).toEqual([view]);
    expect(objects(quads, view, hydra('last'))).toEqual([view]);
    expect(objects(quads, view, hydra('next'))).toEqual([]);

    const beyond = parseTurtle((await get('/catalog.ttl?page=2')).body);
    expect(objects(beyond, `${BASE}/catalog`, dcat('dataset'))).toEqual([]);
    expect(objects(beyond, `${BASE}/catalog.ttl?page=2`, hydra('previous'))).toEqual([view]);
  });

  it('pages through the whole catalog, each resource once', async () => {
    const seen: string[] = [];
    const pageUrl = (n: number) => `${BASE}/catalog.ttl?page=${n}`;
    for (let page = 1; page <= 3; page++) {
      const quads = await catalogPage(ctx, { baseUrl: BASE, page, pageUrl, pageSize: 4 });
      seen.push(...objects(quads, `${BASE}/catalog`, dcat('dataset')));
      expect(objects(quads, pageUrl(page), hydra('last'))).toEqual([pageUrl(3)]);
      expect(objects(quads, pageUrl(page), hydra('next'))).toEqual(page < 3 ? [pageUrl(page + 1)] : []);
      expect(objects(quads, pageUrl(page), hydra('previous'))).toEqual(page > 1 ? [pageUrl(page - 1)] : []);
      expect(objects(quads, pageUrl(page), hydra('itemsPerPage'))).toEqual(['4']);
    }
    expect(seen.sort()).toEqual(fx.publicNames.map((n) => `${BASE}/dataset/${n}`).sort());
  });

  it('filters by modified_since and keeps the filter in the paging links', async () => {
    const latest = Math.max(...[fx.full, fx.minimal, ...fx.cycles].map((d) => Date.parse(d.modifiedAt)));
    const since = new Date(latest + 1).toISOString();
    await updateDataset(ctx, systemActor(), fx.full.id, { keywords: ['经济', 'GDP', '统计', '季度'] });
    const res = await get(`/catalog.jsonld?modified_since=${encodeURIComponent(since)}`);
    expect(res.statusCode, res.body).toBe(200);
    const quads = await parseJsonLd(res.body);
    expect(objects(quads, `${BASE}/catalog`, dcat('dataset'))).toEqual([`${BASE}/dataset/${fx.full.name}`]);
    const [view] = objects(quads, `${BASE}/catalog`, hydra('view'));
    expect(new URL(view ?? '').searchParams.get('modified_since')).toBe(since);
    expect(objects(quads, view ?? '', hydra('totalItems'))).toEqual(['1']);

    const all = parseTurtle((await get('/catalog.ttl?modified_since=2000-01-01')).body);
    expect(objects(all, `${BASE}/catalog`, dcat('dataset'))).toHaveLength(fx.publicNames.length);
  });

  it('answers 400 with the platform error shape for bad parameters', async () => {
    const bad = [
      'page=0',
      'page=abc',
      'page=1.5',
      'page=-1',
      'modified_since=yesterday',
      'modified_since=2024-13-45',
      'rows=5',
    ];
    for (const query of bad) {
      const res = await get(`/catalog.ttl?${query}`);
      expect(res.statusCode, query).toBe(400);
      const body = res.json();
      expect(['validation.failed', 'catalog.invalid_modified_since'], query).toContain(body.error.code);
      expect(body.error.requestId).toBeTruthy();
    }
  });

  it('uses the configured public URL for every IRI', async () => {
    const before = ctx.config.publicUrl;
    ctx.config.publicUrl = 'https://data.gov.example/open/';
    try {
      const quads = parseTurtle((await get('/catalog.ttl')).body);
      expect(objects(quads, 'https://data.gov.example/open/catalog', dcat('dataset'))).toHaveLength(
        fx.publicNames.length,
      );
      expect(quads.some((q) => q.subject.value.startsWith(BASE))).toBe(false);
    } finally {
      ctx.config.publicUrl = before;
    }
  });
});

describe('GET /dataset/{name}', () => {
  it('serves one resource in each format by extension', async () => {
    const graphs: string[][] = [];
    for (const [ext, type] of [
      ['ttl', 'text/turtle'],
      ['jsonld', 'application/ld+json'],
      ['rdf', 'application/rdf+xml'],
    ] as const) {
      const res = await get(`/dataset/${fx.full.name}.${ext}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      const quads = await parse(res.body, type);
      expect(objects(quads, `${BASE}/dataset/${fx.full.name}`, RDF_TYPE)).toEqual([dcat('Dataset')]);
      expect(objects(quads, `${BASE}/dataset/${fx.full.name}`, dcat('distribution'))).toHaveLength(3);
      expect(quads.some((q) => q.object.value === dcat('Catalog'))).toBe(false);
      graphs.push(canonicalLines(quads));
    }
    expect(graphs[1]).toEqual(graphs[0]);
    expect(graphs[2]).toEqual(graphs[0]);
  });

  it('negotiates RDF or the web app on the dataset URL', async () => {
    const cases: [string, string][] = [
      ['text/turtle', 'text/turtle'],
      ['application/ld+json', 'application/ld+json'],
      ['application/rdf+xml;q=0.9, text/html;q=0.5', 'application/rdf+xml'],
      ['application/n-triples', 'application/n-triples'],
      ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'text/html'],
      ['*/*', 'text/html'],
      ['text/turtle;q=0.5, text/html', 'text/html'],
      ['application/json', 'text/html'],
    ];
    for (const [accept, expected] of cases) {
      const res = await get(`/dataset/${fx.full.name}`, { accept });
      expect(res.statusCode, accept).toBe(200);
      expect(res.headers['content-type'], accept).toContain(expected);
      expect(res.headers.vary, accept).toContain('Accept');
      if (expected === 'text/html') expect(res.body).toBe(SPA);
      else expect(res.body).toContain(`${BASE}/dataset/${fx.full.name}`);
    }
    // The page of a resource the caller may not see is the web app's business; its data is not served.
    expect((await get(`/dataset/${fx.closed.name}`, { accept: 'text/html' })).body).toBe(SPA);
  });

  it('does not serve what the caller may not see, nor what does not exist', async () => {
    const closed = await get(`/dataset/${fx.closed.name}.ttl`);
    expect(closed.statusCode).toBe(401);
    expect(closed.json().error.code).toBe('auth.unauthenticated');
    expect((await get(`/dataset/${fx.closed.name}`, { accept: 'text/turtle' })).statusCode).toBe(401);
    expect((await get(`/dataset/${fx.draft.name}.jsonld`)).statusCode).toBe(401);
    const missing = await get('/dataset/no-such-thing.rdf');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('catalog.dataset_not_found');
    expect((await get(`/dataset/${fx.full.name}.xyz`)).statusCode).toBe(404);
    expect((await get(`/dataset/${fx.full.name}.html`, { accept: 'text/html' })).statusCode).toBe(404);
    expect((await get('/dataset/Not.A.Name.ttl')).statusCode).toBe(404);
  });
});
