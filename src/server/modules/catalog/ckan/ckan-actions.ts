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
    const action = ckanAction(name);
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

// Actions other modules serve through the same endpoint (the DataStore's datastore_* actions).
const moduleActions: Record<string, CkanAction> = {};

/** Adds another module's actions to /api/3/action (names must not clash with the catalog's). */
export function registerCkanActions(actions: Record<string, CkanAction>): void {
  for (const [name, action] of Object.entries(actions)) {
    if (Object.hasOwn(CKAN_ACTIONS, name)) throw new Error(`CKAN action ${name} exists already`);
    moduleActions[name] = action;
  }
}

/** The action of that name, if there is one (never an inherited property such as `constructor`). */
export const ckanAction = (name: string): CkanAction | undefined =>
  Object.hasOwn(CKAN_ACTIONS, name)
    ? CKAN_ACTIONS[name]
    : Object.hasOwn(moduleActions, name)
      ? moduleActions[name]
      : undefined;
