import { getHistory, listLicenses } from '../catalog-info.service.ts';
import { searchCatalog } from '../search.service.ts';
import {
  findGroup,
  findOrganization,
  type GroupRow,
  listGroups,
  listOrganizations,
  listPublicNames,
  listPublicTags,
  type OrganizationRow,
} from './ckan.repository.ts';
import { type CkanAction, type CkanCall, findPackage, intParam, requireParam } from './ckan-action.ts';
import { notFoundError } from './ckan-envelope.ts';
import {
  ckanTime,
  toGroupDict,
  toLicenseDict,
  toOrganizationDict,
  toPackageDict,
  toTagDict,
} from './ckan-mapping.ts';
import { ckanBool, ckanList, ckanString } from './ckan-package-input.ts';
import { resourceOf, resultResource } from './ckan-resource.actions.ts';
import { packageDicts } from './package-dicts.ts';

// The read actions of CKAN's get.py that CKAN clients rely on. Lists show the public catalog (what
// anonymous callers see); package_show and resource_show show whatever the caller may see.

/** CKAN's rows_max: the most any list or search returns at once. */
export const ROWS_MAX = 1000;
/** CKAN's group_and_organization_list_all_fields_max. */
const ALL_FIELDS_MAX = 25;
const ORG_DATASETS_MAX = 1000;

const read = (doc: string, run: CkanAction['run']): CkanAction => ({ doc, run, sideEffectFree: true });

const paging = (call: CkanCall, defaultLimit: number, max = ROWS_MAX) => ({
  limit: intParam(call.data, 'limit', { default: defaultLimit, min: 0, clampTo: max }),
  offset: intParam(call.data, 'offset', { default: 0, min: 0 }),
});

/** The public datasets of an organization or group, as package dictionaries. */
async function packagesWhere(call: CkanCall, field: 'owner_org' | 'groups', value: string) {
  const page = await searchCatalog(call.ctx, call.actor, {
    filter: { kind: 'term', field, value, exact: true },
    includePrivate: false,
    sort: 'name',
    offset: 0,
    limit: ORG_DATASETS_MAX,
    facets: [],
    idsOnly: true,
  });
  return packageDicts(call, page.ids);
}

const orgDict = (o: OrganizationRow, withCount: boolean) =>
  toOrganizationDict(o, withCount ? o.packageCount : undefined);
const groupDict = (g: GroupRow, withCount: boolean) => toGroupDict(g, withCount ? g.packageCount : undefined);

/** CKAN's `sort` of group/organization lists: "name asc" (default), "title", "package_count" (most first). */
function sortGroups<T extends { name: string; title: string; count: number }>(
  items: T[],
  sortParam: unknown,
): T[] {
  const [field = 'name', dir] = (ckanString(sortParam) ?? 'name').trim().split(/\s+/);
  const key =
    field === 'package_count' || field === 'packages' ? 'count' : field === 'title' ? 'title' : 'name';
  const descending = dir ? dir.toLowerCase() === 'desc' : key === 'count';
  const sign = descending ? -1 : 1;
  return [...items].sort((a, b) => (a[key] < b[key] ? -sign : a[key] > b[key] ? sign : 0));
}

function listOf<T>(
  call: CkanCall,
  rows: T[],
  view: (row: T) => { name: string; title: string; count: number },
  dict: (row: T, withCount: boolean) => Record<string, unknown>,
  only: string[] | undefined,
) {
  const allFields = ckanBool(call.data.all_fields);
  const { limit, offset } = paging(
    call,
    allFields ? ALL_FIELDS_MAX : ROWS_MAX,
    allFields ? ALL_FIELDS_MAX : ROWS_MAX,
  );
  const withCount =
    call.data.include_dataset_count === undefined ? true : ckanBool(call.data.include_dataset_count);
  const q = ckanString(call.data.q)?.trim().toLowerCase();
  const items = rows
    .map((row) => ({ row, ...view(row) }))
    .filter((i) => !only || only.includes(i.name))
    .filter((i) => !q || i.name.includes(q) || i.title.toLowerCase().includes(q));
  const page = sortGroups(items, call.data.sort).slice(offset, offset + limit);
  return allFields ? page.map((i) => dict(i.row, withCount)) : page.map((i) => i.name);
}

const names = (value: unknown) => ckanList(value)?.map(String);

export const READ_ACTIONS: Record<string, CkanAction> = {
  site_read: read('Return True.', async () => true),

  status_show: read("Return a dictionary with information about the site's configuration.", async (call) => ({
    site_title: 'Civitas',
    site_description:
      'Civitas open-source digital-government platform: data-resource catalog (CKAN API compatible)',
    site_url: call.site.baseUrl,
    ckan_version: '2.10.0',
    error_emails_to: null,
    locale_default: 'zh_Hans_CN',
    extensions: ['civitas', 'activity', 'dcat'],
  })),

  package_list: read(
    "Return a list of the names of the site's public datasets.\n\n:param limit: (optional)\n:param offset: (optional)",
    async (call) => {
      const { limit, offset } = paging(call, ROWS_MAX);
      return listPublicNames(call.ctx.db, limit, offset);
    },
  ),

  current_package_list_with_resources: read(
    "Return a list of the site's public datasets and their resources, most recently modified first.\n\n:param limit: (optional, at most 1000)\n:param offset: (optional)",
    async (call) => {
      const { limit, offset } = paging(call, ROWS_MAX);
      const page = await searchCatalog(call.ctx, call.actor, {
        filter: null,
        includePrivate: false,
        sort: 'modified',
        offset,
        limit,
        facets: [],
        idsOnly: true,
      });
      return packageDicts(call, page.ids);
    },
  ),

  package_show: read(
    'Return the metadata of a dataset and its resources.\n\n:param id: the id or name of the dataset',
    async (call) => toPackageDict(await findPackage(call, requireParam(call.data, 'id')), call.site),
  ),

  resource_show: read(
    'Return the metadata of a resource.\n\n:param id: the id of the resource',
    async (call) => {
      const { dist, ds } = await resourceOf(call, requireParam(call.data, 'id'));
      return resultResource(call, ds, dist.id);
    },
  ),

  organization_list: read(
    "Return a list of the names of the site's organizations (departments).\n\n:param all_fields: return dictionaries (optional)\n:param sort: 'name asc' (default), 'title', 'package_count desc'\n:param limit, offset: (optional)\n:param organizations: only these names (optional)",
    async (call) =>
      listOf(
        call,
        await listOrganizations(call.ctx.db),
        (o) => ({ name: o.code.toLowerCase(), title: o.nameZh, count: o.packageCount }),
        orgDict,
        names(call.data.organizations),
      ),
  ),

  organization_show: read(
    'Return the details of an organization (department).\n\n:param id: its id or name\n:param include_datasets: include its public datasets (optional, default False)',
    async (call) => {
      const org = await findOrganization(call.ctx.db, requireParam(call.data, 'id'));
      if (!org) throw notFoundError('Organization was not found.');
      const dict = orgDict(org, true);
      if (!ckanBool(call.data.include_datasets)) return dict;
      return { ...dict, packages: await packagesWhere(call, 'owner_org', org.id) };
    },
  ),

  group_list: read(
    "Return a list of the names of the site's groups (themes).\n\n:param all_fields: return dictionaries (optional)\n:param sort, limit, offset, groups: (optional)",
    async (call) =>
      listOf(
        call,
        await listGroups(call.ctx.db),
        (g) => ({ name: g.id, title: g.nameZh, count: g.packageCount }),
        groupDict,
        names(call.data.groups),
      ),
  ),

  group_show: read(
    'Return the details of a group (theme).\n\n:param id: its id or name\n:param include_datasets: include its public datasets (optional, default False)',
    async (call) => {
      const group = await findGroup(call.ctx.db, requireParam(call.data, 'id'));
      if (!group) throw notFoundError('Group was not found.');
      const dict = groupDict(group, true);
      if (!ckanBool(call.data.include_datasets)) return dict;
      return { ...dict, packages: await packagesWhere(call, 'groups', group.id) };
    },
  ),

  tag_list: read(
    "Return a list of the tags of the site's public datasets.\n\n:param query: only tags containing this text (optional)\n:param all_fields: return dictionaries (optional)",
    async (call) => {
      const { limit, offset } = paging(call, ROWS_MAX * 10, ROWS_MAX * 10);
      const tags = await listPublicTags(call.ctx.db, ckanString(call.data.query)?.trim(), limit, offset);
      return ckanBool(call.data.all_fields) ? tags.map(toTagDict) : tags;
    },
  ),

  license_list: read('Return the list of licenses available for datasets on the site.', async () =>
    listLicenses().map(toLicenseDict),
  ),

  package_activity_list: read(
    "Return a dataset's activity stream, newest first.\n\n:param id: the id or name of the dataset\n:param limit: (optional, default 31)\n:param offset: (optional)",
    async (call) => {
      const ds = await findPackage(call, requireParam(call.data, 'id'));
      const { limit, offset } = paging(call, 31, 100);
      const versions = await getHistory(call.ctx, call.actor, { id: ds.id });
      return versions.slice(offset, offset + limit).map((v) => ({
        id: `${ds.id}.${v.version}`,
        timestamp: ckanTime(v.at),
        user_id: v.actorLabel,
        object_id: ds.id,
        activity_type:
          v.change === 'created'
            ? 'new package'
            : v.change === 'withdrawn'
              ? 'deleted package'
              : 'changed package',
        data: {
          package: { id: ds.id, name: ds.name, title: ds.titleZh, type: 'dataset' },
          civitas_change: v.change,
          civitas_version: v.version,
          note: v.note,
          diff: v.diff,
        },
      }));
    },
  ),
};
