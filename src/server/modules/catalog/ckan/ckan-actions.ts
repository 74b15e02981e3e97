import { type CkanAction, requireParam } from './ckan-action.ts';
import { notFoundError } from './ckan-envelope.ts';
import { READ_ACTIONS } from './ckan-read.actions.ts';
import { packageSearch } from './ckan-search.action.ts';
import { WRITE_ACTIONS } from './ckan-write.actions.ts';

// Every action served at /api/3/action/{name}. Reads answer GET and POST; writes only POST.

const helpShow: CkanAction = {
  sideEffectFree: true,
  doc: 'Return the help string for a particular API action.\n\n:param name: action function name (e.g. package_search)',
  async run(call) {
    const name = requireParam(call.data, 'name');
    const action = Object.hasOwn(CKAN_ACTIONS, name) ? CKAN_ACTIONS[name] : undefined;
    if (!action) throw notFoundError('Action function not found');
    return action.doc;
  },
};

export const CKAN_ACTIONS: Readonly<Record<string, CkanAction>> = {
  ...READ_ACTIONS,
  help_show: helpShow,
  package_search: packageSearch,
  ...WRITE_ACTIONS,
};

/** The action of that name, if there is one (never an inherited property such as `constructor`). */
export const ckanAction = (name: string): CkanAction | undefined =>
  Object.hasOwn(CKAN_ACTIONS, name) ? CKAN_ACTIONS[name] : undefined;
