import fc from 'fast-check';
import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { CreateDatasetBody } from '../../../../contracts/catalog.ts';
import { DEFAULT_FIELDS, ruleProblems } from '../catalog-rules.ts';
import { LICENSES } from '../licenses.ts';
import { ckanTime, DEFAULT_OPEN_LICENSE, DEFAULT_SHARE_CONDITION } from './ckan-mapping.ts';
import {
  ckanBool,
  defined,
  normaliseLicense,
  sentFields,
  sentPrivate,
  withAccessDefaults,
  withUpdateResets,
} from './ckan-package-input.ts';

// The promise to CKAN clients that know nothing of Civitas: whatever CKAN fields they send, the
// defaults make a dataset the catalog's rules accept.

const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).filter((s) => s.trim().length > 0);
const ckanPackage = fc.record(
  {
    title: text(300),
    notes: fc.string({ maxLength: 500 }),
    tags: fc.array(fc.record({ name: text(100) }), { maxLength: 10 }),
    license_id: fc.constantFrom(...LICENSES.map((l) => l.id), 'CC-BY-4.0', ''),
    private: fc.constantFrom(true, false, 'true', 'False', 'yes', 0, 1),
    extras: fc.array(fc.record({ key: text(50), value: fc.string({ maxLength: 50 }) }), { maxLength: 5 }),
    maintainer: fc.string({ maxLength: 50 }),
  },
  { requiredKeys: [] },
);

describe('CKAN package input', () => {
  it('turns any CKAN-only dataset into one the schema and the catalog rules accept', () => {
    fc.assert(
      fc.property(ckanPackage, (data) => {
        const { fields, errors } = sentFields(data);
        expect(errors).toEqual({});
        const input = withAccessDefaults({ titleZh: 'name-x', ...fields }, sentPrivate(data) ?? false);
        const body = defined({
          ...input,
          name: 'name-x',
          departmentId: '00000000-0000-4000-8000-000000000000',
        });
        expect(Value.Check(CreateDatasetBody, body)).toBe(true);
        const problems = ruleProblems({
          ...DEFAULT_FIELDS,
          ...body,
          resourceCode: undefined,
          name: 'name-x',
        } as never);
        expect(problems).toEqual([]);
        // The rule the issue names: an open resource is shared unconditionally between departments.
        if (input.openType === 'open') expect(input.shareType).toBe('unconditional');
      }),
      { numRuns: 300 },
    );
  });

  it('reads private as CKAN does and derives access from it', () => {
    expect([true, 'True', 'yes', 'on', 1].map(ckanBool)).toEqual([true, true, true, true, true]);
    expect([false, 'false', 'no', '', 0, null].map(ckanBool)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(withAccessDefaults({}, false)).toEqual({
      openType: 'open',
      openCondition: null,
      shareType: 'unconditional',
      licenseId: DEFAULT_OPEN_LICENSE,
    });
    expect(withAccessDefaults({ licenseId: 'cc-by' }, false).licenseId).toBe('cc-by');
    expect(withAccessDefaults({}, true)).toEqual({
      openType: 'none',
      openCondition: null,
      shareType: 'conditional',
      shareCondition: DEFAULT_SHARE_CONDITION,
    });
    // Explicit Civitas keys win over `private`.
    expect(withAccessDefaults({ shareType: 'none', shareLegalBasis: 'law' }, true)).toEqual({
      shareType: 'none',
      shareLegalBasis: 'law',
    });
  });

  it('changes access on update only when private changes, keeping a stated condition', () => {
    const closed = { openType: 'none' as const, licenseId: null, shareCondition: '仅限审批' };
    expect(withAccessDefaults({ titleZh: 'x' }, true, closed)).toEqual({ titleZh: 'x' });
    expect(withAccessDefaults({}, undefined, closed)).toEqual({});
    const opened = withAccessDefaults({}, false, closed);
    expect(opened).toMatchObject({
      openType: 'open',
      shareType: 'unconditional',
      licenseId: DEFAULT_OPEN_LICENSE,
    });
    const open = { openType: 'open' as const, licenseId: 'cc-by', shareCondition: '仅限审批' };
    const closing = withAccessDefaults({}, true, open);
    expect(closing).toMatchObject({ openType: 'none', shareType: 'conditional' });
    expect(closing).not.toHaveProperty('shareCondition');
  });

  it('reads tags, groups, extras, maintainer and Civitas keys; reports malformed ones under CKAN names', () => {
    const { fields, errors } = sentFields({
      tags: [{ name: ' a ' }, 'b'],
      groups: [{ name: 'economy' }],
      extras: [
        { key: 'k', value: 1 },
        { key: 'gone', value: 'x', deleted: true },
      ],
      maintainer: '',
      maintainer_email: 'data@example.gov.cn',
      share_condition: '',
      update_cycle: '',
      resource_code: 'A-1',
    });
    expect(errors).toEqual({});
    expect(fields).toEqual({
      keywords: ['a', 'b'],
      themeId: 'economy',
      extras: { k: '1' },
      contact: { name: 'data@example.gov.cn', email: 'data@example.gov.cn' },
      shareCondition: null,
      resourceCode: 'A-1',
    });
    expect(sentFields({ tag_string: 'x, y,,z' }).fields.keywords).toEqual(['x', 'y', 'z']);
    const bad = sentFields({ tags: 'nope', groups: [{ name: 'a' }, { name: 'b' }], extras: 5 });
    expect(Object.keys(bad.errors).sort()).toEqual(['extras', 'groups', 'tags']);
  });

  it('resets what CKAN clients edit on package_update, and knows licences by CKAN ids', () => {
    expect(withUpdateResets({ notes: undefined } as never, 'n')).toMatchObject({
      titleZh: 'n',
      descriptionZh: '',
      keywords: [],
      themeId: null,
      extras: {},
    });
    expect(normaliseLicense('CC-BY-4.0')).toBe('cc-by');
    expect(normaliseLicense('ODC-ODbL')).toBe('odc-odbl');
    expect(normaliseLicense('my-licence')).toBe('my-licence');
  });

  it('formats times as CKAN does: naive UTC with microseconds', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (d) => {
          const s = ckanTime(d) as string;
          expect(s).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
          expect(new Date(`${s.slice(0, 23)}Z`).getTime()).toBe(d.getTime());
        },
      ),
    );
    expect(ckanTime(null)).toBeNull();
  });
});
