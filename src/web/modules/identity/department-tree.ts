import type { DepartmentDto } from '../../../contracts/identity.ts';

export interface DepartmentNode extends DepartmentDto {
  children?: DepartmentNode[];
}

/**
 * Builds the department tree from the flat list the API returns, ordered by code at each level.
 * A department whose parent is missing from the list (e.g. filtered out) becomes a root rather than vanishing.
 */
export function buildDepartmentTree(departments: readonly DepartmentDto[]): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>(departments.map((d) => [d.id, { ...d }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent && parent !== node) {
      parent.children ??= [];
      parent.children.push(node);
    } else {
      roots.push(node);
    }
  }
  const sort = (list: DepartmentNode[]) => {
    list.sort((a, b) => a.code.localeCompare(b.code));
    for (const n of list) if (n.children) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Ids of a department and everything below it: a department cannot move under its own descendant. */
export function descendantIds(departments: readonly DepartmentDto[], id: string): Set<string> {
  const result = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parentId && result.has(d.parentId) && !result.has(d.id)) {
        result.add(d.id);
        grew = true;
      }
    }
  }
  return result;
}

/** The department's name in the interface language. */
export const departmentName = (d: Pick<DepartmentDto, 'nameZh' | 'nameEn'>, language: string) =>
  language === 'en' ? d.nameEn : d.nameZh;
