import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api.ts';
import {
  applyDatasetErrors,
  NEW_DATASET,
  pointerToNamePath,
  toCreateInput,
  toUpdateInput,
} from './dataset-form.ts';

const t = ((key: string, opts?: { detail?: string }) =>
  opts?.detail ? `${key}:${opts.detail}` : key) as unknown as TFunction;

describe('resource form mapping', () => {
  it('clears conditions and licences that no longer apply', () => {
    const input = toUpdateInput({
      ...NEW_DATASET,
      titleZh: ' 企业名录 ',
      shareType: 'unconditional',
      shareCondition: 'left over',
      shareLegalBasis: 'left over',
      openType: 'none',
      licenseId: 'cc-by',
      contact: { name: '', email: 'x@example.org' },
      extras: [
        { key: 'source', value: 'registry' },
        { key: ' ', value: 'dropped' },
      ],
    });
    expect(input).toMatchObject({
      titleZh: '企业名录',
      shareCondition: null,
      shareLegalBasis: null,
      licenseId: null,
      contact: null,
      extras: { source: 'registry' },
    });
  });

  it('leaves sharing and opening out when the editor may not change them', () => {
    const input = toUpdateInput({ ...NEW_DATASET, titleZh: 'x' }, { governed: false });
    expect(input).not.toHaveProperty('shareType');
    expect(input).not.toHaveProperty('openType');
    expect(input).not.toHaveProperty('sensitivity');
  });

  it('builds a create body with the department and name', () => {
    const body = toCreateInput({ ...NEW_DATASET, titleZh: 'x', name: ' licences ', departmentId: 'd1' });
    expect(body).toMatchObject({ name: 'licences', departmentId: 'd1', titleZh: 'x' });
    expect(body).not.toHaveProperty('resourceCode');
  });

  it('turns JSON pointers into form name paths', () => {
    expect(pointerToNamePath('/dataItems/2/name')).toEqual(['dataItems', 2, 'name']);
    expect(pointerToNamePath('titleZh')).toEqual(['titleZh']);
  });

  it('puts broken catalog rules on their fields in the interface language', () => {
    const set: unknown[] = [];
    const form = { setFields: (f: unknown[]) => set.push(...f) } as unknown as FormInstance;
    const err = new ApiError(
      400,
      'catalog.rules_violated',
      'x',
      {
        fields: [
          { path: '/licenseId', message: 'An open resource must have a licence' },
          { path: '/dataItems/1/name', message: 'listed twice' },
          { path: '/unknownThing', message: 'ignored' },
        ],
      },
      'r1',
    );
    expect(applyDatasetErrors(t, form, err, () => 'text')).toBe(true);
    expect(set).toEqual([
      { name: ['licenseId'], errors: ['catalog.rules.licenseRequired'] },
      { name: ['dataItems', 1, 'name'], errors: ['catalog.rules.duplicateItem'] },
    ]);
  });
});
