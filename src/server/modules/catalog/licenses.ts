import type { LicenseDto } from '../../../contracts/catalog.ts';

// The licences a resource may carry, as CKAN's license_list names them (ids CKAN clients know),
// plus the model licence of Chinese public-data open platforms. A fixed list: a licence is a legal
// text, not something to invent per dataset.
export const LICENSES: readonly LicenseDto[] = [
  {
    id: 'cn-open-data',
    title: '公共数据开放授权协议 (Public Data Open Licence)',
    url: 'https://data.lanshan.example.gov.cn/licence',
    open: true,
  },
  {
    id: 'cc-by',
    title: 'Creative Commons Attribution',
    url: 'http://www.opendefinition.org/licenses/cc-by',
    open: true,
  },
  {
    id: 'cc-by-sa',
    title: 'Creative Commons Attribution Share-Alike',
    url: 'http://www.opendefinition.org/licenses/cc-by-sa',
    open: true,
  },
  {
    id: 'cc-zero',
    title: 'Creative Commons CCZero',
    url: 'http://www.opendefinition.org/licenses/cc-zero',
    open: true,
  },
  {
    id: 'odc-by',
    title: 'Open Data Commons Attribution License',
    url: 'http://www.opendefinition.org/licenses/odc-by',
    open: true,
  },
  {
    id: 'odc-odbl',
    title: 'Open Data Commons Open Database License (ODbL)',
    url: 'http://www.opendefinition.org/licenses/odc-odbl',
    open: true,
  },
  {
    id: 'odc-pddl',
    title: 'Open Data Commons Public Domain Dedication and License (PDDL)',
    url: 'http://www.opendefinition.org/licenses/odc-pddl',
    open: true,
  },
  { id: 'other-open', title: 'Other (Open)', url: '', open: true },
  { id: 'other-closed', title: 'Other (Not Open)', url: '', open: false },
  { id: 'notspecified', title: 'License not specified', url: '', open: false },
];

const BY_ID = new Map(LICENSES.map((l) => [l.id, l]));

/** The licence with this id, or undefined. */
export const licenseById = (id: string | null | undefined) => (id ? BY_ID.get(id) : undefined);
