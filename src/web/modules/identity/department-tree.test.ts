import { describe, expect, it } from 'vitest';
import type { DepartmentDto } from '../../../contracts/identity.ts';
import { buildDepartmentTree, descendantIds } from './department-tree.ts';

const dept = (id: string, code: string, parentId: string | null = null): DepartmentDto => ({
  id,
  code,
  nameZh: code,
  nameEn: code,
  parentId,
  regionCode: null,
  active: true,
  createdAt: '2026-01-01T00:00:00Z',
});

describe('buildDepartmentTree', () => {
  it('nests children under parents and sorts each level by code', () => {
    const tree = buildDepartmentTree([
      dept('c', 'GOV-B', 'r'),
      dept('r', 'GOV'),
      dept('b', 'GOV-A', 'r'),
      dept('x', 'AAA'),
    ]);
    expect(tree.map((n) => n.code)).toEqual(['AAA', 'GOV']);
    expect(tree[1]!.children!.map((n) => n.code)).toEqual(['GOV-A', 'GOV-B']);
    expect(tree[0]!.children).toBeUndefined();
  });

  it('keeps departments whose parent is not in the list as roots', () => {
    const tree = buildDepartmentTree([dept('a', 'A', 'missing')]);
    expect(tree.map((n) => n.id)).toEqual(['a']);
  });
});

describe('descendantIds', () => {
  it('collects a department and all levels below it, not its siblings', () => {
    const all = [dept('r', 'R'), dept('a', 'A', 'r'), dept('b', 'B', 'a'), dept('s', 'S')];
    expect([...descendantIds(all, 'r')].sort()).toEqual(['a', 'b', 'r']);
    expect([...descendantIds(all, 'a')].sort()).toEqual(['a', 'b']);
  });
});
