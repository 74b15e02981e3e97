import { describe, expect, it } from 'vitest';
import type { HarvestSourceDto } from '../../../../contracts/harvest.ts';
import { ApiError } from '../../../app/api.ts';
import { en, zhCN } from '../../../app/locales/index.ts';
import {
  HARVEST_KINDS,
  HARVEST_RUN_STATUSES,
  HARVEST_SCHEDULES,
  HARVEST_STAGES,
  HARVEST_TRIGGERS,
  isHttpUrl,
} from './constants.ts';
import {
  bytesToMb,
  fieldOfPath,
  type SourceFormValues,
  sourceFieldErrors,
  toCreateInput,
  toFormValues,
  toUpdateInput,
} from './source-form.ts';

const t = ((key: string, opts?: { detail?: string }) =>
  opts?.detail !== undefined ? `${key}:${opts.detail}` : key) as never;
const errorText = (err: unknown) => `text:${(err as ApiError).code}`;
const apiError = (code: string, fields?: { path: string; message: string }[]) =>
  new ApiError(400, code, code, fields ? { fields } : undefined, 'req-1');

const values: SourceFormValues = {
  name: ' city ',
  title: ' City portal ',
  kind: 'ckan',
  url: ' https://data.example.org ',
  departmentId: 'd1',
  schedule: 'daily',
  maxPages: 10,
  maxResponseMb: 2.5,
  maxSeconds: 60,
  maxDatasets: 500,
};

describe('harvest source form', () => {
  it('starts a new source with the server defaults, response size in MB', () => {
    expect(toFormValues()).toEqual({
      kind: 'ckan',
      schedule: 'manual',
      maxPages: 100,
      maxResponseMb: 20,
      maxSeconds: 300,
      maxDatasets: 10_000,
    });
  });

  it('sends trimmed text and the limits in bytes', () => {
    expect(toCreateInput(values)).toEqual({
      name: 'city',
      title: 'City portal',
      kind: 'ckan',
      url: 'https://data.example.org',
      departmentId: 'd1',
      schedule: 'daily',
      limits: { maxPages: 10, maxResponseBytes: 2_621_440, maxSeconds: 60, maxDatasets: 500 },
    });
    expect(toUpdateInput(values)).not.toHaveProperty('name');
  });

  it('reads a source back into the form', () => {
    const source = {
      name: 'city',
      title: 'City',
      kind: 'dcat',
      url: 'https://x.example/catalog.ttl',
      department: { id: 'd1' },
      schedule: 'weekly',
      limits: { maxPages: 5, maxResponseBytes: 1024, maxSeconds: 9, maxDatasets: 7 },
    } as HarvestSourceDto;
    expect(toFormValues(source)).toMatchObject({ kind: 'dcat', departmentId: 'd1', maxResponseMb: 0 });
    expect(bytesToMb(1_572_864)).toBe(1.5);
  });

  it('maps API paths onto form fields', () => {
    expect(fieldOfPath('/url')).toBe('url');
    expect(fieldOfPath('name')).toBe('name');
    expect(fieldOfPath('/limits/maxResponseBytes')).toBe('maxResponseMb');
    expect(fieldOfPath('/limits/maxPages')).toBe('maxPages');
    expect(fieldOfPath('/limits')).toBeUndefined();
    expect(fieldOfPath('/other')).toBeUndefined();
  });

  it('puts schema violations and domain codes on their fields, once each', () => {
    expect(
      sourceFieldErrors(
        t,
        apiError('validation.failed', [
          { path: '/limits/maxSeconds', message: 'must be <= 86400' },
          { path: '/somethingElse', message: 'x' },
        ]),
        errorText,
      ),
    ).toEqual([{ name: 'maxSeconds', errors: ['errors.field_invalid:must be <= 86400'] }]);
    expect(
      sourceFieldErrors(
        t,
        apiError('catalog.harvest_invalid_url', [{ path: '/url', message: 'Not an http or https URL' }]),
        errorText,
      ),
    ).toEqual([{ name: 'url', errors: ['text:catalog.harvest_invalid_url'] }]);
    expect(sourceFieldErrors(t, apiError('catalog.harvest_source_name_taken'), errorText)).toEqual([
      { name: 'name', errors: ['text:catalog.harvest_source_name_taken'] },
    ]);
    expect(sourceFieldErrors(t, apiError('http.internal'), errorText)).toEqual([]);
    expect(sourceFieldErrors(t, new Error('x'), errorText)).toEqual([]);
  });

  it('accepts only http(s) addresses', () => {
    expect(isHttpUrl('http://127.0.0.1:8080/api/3/action')).toBe(true);
    expect(isHttpUrl('HTTPS://data.example.org')).toBe(true);
    expect(isHttpUrl('ftp://data.example.org')).toBe(false);
    expect(isHttpUrl('data.example.org')).toBe(false);
  });
});

describe('harvest labels', () => {
  const families: Record<string, readonly string[]> = {
    kind: HARVEST_KINDS,
    schedule: HARVEST_SCHEDULES,
    runStatus: HARVEST_RUN_STATUSES,
    trigger: HARVEST_TRIGGERS,
    stage: HARVEST_STAGES,
  };
  it.each([
    ['zh-CN', zhCN],
    ['en', en],
  ])('%s labels every value and error code', (_lang, resources) => {
    const enums = resources.catalog.harvest.enums as Record<string, Record<string, string>>;
    const missing = Object.entries(families).flatMap(([family, list]) =>
      list.filter((v) => typeof enums[family]?.[v] !== 'string').map((v) => `${family}.${v}`),
    );
    expect(missing).toEqual([]);
    for (const code of ['harvest_source_name_taken', 'harvest_invalid_url', 'harvest_source_inactive']) {
      expect(typeof (resources.errors.catalog as Record<string, string>)[code]).toBe('string');
    }
  });
});
