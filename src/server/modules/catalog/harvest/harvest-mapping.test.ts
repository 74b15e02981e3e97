import fc from 'fast-check';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { DatasetName, UpdateDatasetBody } from '../../../../contracts/catalog.ts';
import { ckanActionBase } from './harvest-ckan.ts';
import { dcatStartUrl } from './harvest-dcat.ts';
import { HASH_KEY, mapLicense, type RemoteDataset, slugOf, toHarvestInput } from './harvest-mapping.ts';

const THEMES = [
  { id: 'economy', parentId: null, nameZh: '经济', nameEn: 'Economy', euTheme: 'ECON' },
  { id: 'transport', parentId: null, nameZh: '交通', nameEn: 'Transport', euTheme: 'TRAN' },
];

const remote = (o: Partial<RemoteDataset> = {}): RemoteDataset => ({
  remoteId: 'r-1',
  name: 'bus-stops',
  titleZh: '公交站点',
  keywords: [],
  themes: [],
  extras: {},
  distributions: [],
  ...o,
});

describe('licence mapping', () => {
  it.each([
    ['cc-by', 'cc-by'],
    ['CC-BY-4.0', 'cc-by'],
    ['cc-by-sa-3.0', 'cc-by-sa'],
    ['CC0-1.0', 'cc-zero'],
    ['ODbL-1.0', 'odc-odbl'],
    ['http://publications.europa.eu/resource/authority/licence/CC_BY_4_0', 'cc-by'],
    ['https://www.opendefinition.org/licenses/odc-pddl/', 'odc-pddl'],
    ['uk-ogl', 'other-open'],
    ['', 'other-open'],
    [undefined, 'other-open'],
  ])('%s → %s', (given, expected) => {
    expect(mapLicense(given)).toBe(expected);
  });
});

describe('names', () => {
  it('makes a slug of any text that is either empty or a valid dataset name', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const slug = slugOf(text);
        expect(slug === '' || slug.length < 2 || Value.Check(DatasetName, slug)).toBe(true);
      }),
    );
    expect(slugOf('Straßen & Wege 2024')).toBe('stra-en-wege-2024');
    expect(slugOf('Café Öffnungszeiten')).toBe('cafe-offnungszeiten');
  });
});

describe('remote dataset → local metadata', () => {
  it('is always valid catalog input, open and public, whatever the source sends', () => {
    fc.assert(
      fc.property(
        fc.record({
          titleZh: fc.option(fc.string({ maxLength: 400 }), { nil: undefined }),
          keywords: fc.array(fc.string({ maxLength: 120 }), { maxLength: 80 }),
          temporalStart: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
          updateCycle: fc.option(fc.string(), { nil: undefined }),
          url: fc.string({ maxLength: 50 }),
        }),
        (r) => {
          const input = toHarvestInput(
            remote({
              titleZh: r.titleZh,
              keywords: r.keywords,
              temporalStart: r.temporalStart,
              updateCycle: r.updateCycle,
              distributions: [{ name: '', url: r.url, format: 'csv', description: '', kind: 'link' }],
            }),
            THEMES,
          );
          expect(Value.Errors(UpdateDatasetBody, input.fields)).toEqual([]);
          expect(input.fields).toMatchObject({
            openType: 'open',
            shareType: 'unconditional',
            sensitivity: 'public',
          });
          expect(input.fields.titleZh.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps real dates only, dedupes keywords, maps themes and keeps provenance in extras', () => {
    const input = toHarvestInput(
      remote({
        temporalStart: '2024-02-30',
        temporalEnd: '2024-12-31T00:00:00Z',
        keywords: ['Bus', 'bus', ' 交通 ', ''],
        themes: ['unknown', 'TRAN'],
        identifier: 'REMOTE-CODE-1',
        extras: { harvest_content_hash: 'forged', colour: 'blue' },
      }),
      THEMES,
    );
    expect(input.fields).toMatchObject({
      temporalStart: null,
      temporalEnd: '2024-12-31',
      keywords: ['Bus', '交通'],
      themeId: 'transport',
      extras: { colour: 'blue', harvest_remote_identifier: 'REMOTE-CODE-1', [HASH_KEY]: input.hash },
    });
  });

  it('hashes the content: equal input, equal hash; any change, another', () => {
    const a = toHarvestInput(remote(), THEMES);
    expect(toHarvestInput(remote(), THEMES).hash).toBe(a.hash);
    expect(toHarvestInput(remote({ titleZh: '公交站点 2' }), THEMES).hash).not.toBe(a.hash);
    const link = {
      name: 'x',
      url: 'https://example.org/x.csv',
      format: 'csv',
      description: '',
      kind: 'link' as const,
    };
    expect(toHarvestInput(remote({ distributions: [link] }), THEMES).hash).not.toBe(a.hash);
  });

  it('refuses an absurdly long remote id', () => {
    expect(() => toHarvestInput(remote({ remoteId: 'x'.repeat(1001) }), THEMES)).toThrow(/longer than 1000/);
  });
});

describe('source addresses', () => {
  it.each([
    ['https://demo.ckan.org', 'https://demo.ckan.org/api/3/action'],
    ['https://demo.ckan.org/', 'https://demo.ckan.org/api/3/action'],
    ['https://data.example.org/portal/api/3', 'https://data.example.org/portal/api/3/action'],
    ['https://data.example.org/api/3/action/', 'https://data.example.org/api/3/action'],
    ['https://data.example.org/api?x=1', 'https://data.example.org/api/3/action'],
  ])('CKAN %s → %s', (given, expected) => {
    expect(ckanActionBase(given)).toBe(expected);
  });

  it('reads a DCAT portal given by its root at /catalog.ttl, any other address as given', () => {
    expect(dcatStartUrl('https://data.example.org')).toBe('https://data.example.org/catalog.ttl');
    expect(dcatStartUrl('https://data.example.org/catalog.rdf?page=2')).toBe(
      'https://data.example.org/catalog.rdf?page=2',
    );
  });
});
