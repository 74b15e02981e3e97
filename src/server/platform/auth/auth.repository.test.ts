import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/support/test-context.ts';
import { createApiToken, createDepartment, createStaff } from '../../modules/identity/index.ts';
import { sha256Hex } from '../crypto.ts';
import { systemActor } from './actor.ts';
import { findToken } from './auth.repository.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.dispose());

describe('credential lookup', () => {
  it('returns every role with where it reaches, and forgets roles of deactivated departments', async () => {
    const system = systemActor('test');
    const root = await createDepartment(ctx, system, {
      code: 'ROOT',
      nameZh: '市政府',
      nameEn: 'Government',
    });
    const child = await createDepartment(ctx, system, {
      code: 'KID',
      nameZh: '局',
      nameEn: 'Bureau',
      parentId: root.id,
    });
    const person = await createStaff(ctx, system, {
      username: 'multi.role',
      displayName: 'Multi Role',
      password: 'Correct-Horse-42',
      departmentId: child.id,
      roles: ['dept_admin', 'auditor'],
    });
    const { token } = await createApiToken(ctx, system, person.id, { name: 'lookup' });

    const before = await findToken(ctx.db, sha256Hex(token));
    expect(before?.username).toBe('multi.role');
    expect(before?.roles.map((r) => r.role).sort()).toEqual(['auditor', 'dept_admin']);
    expect(before?.roles[0]?.departmentPath).toBe(`${root.id}/${child.id}`);

    await ctx.db.updateTable('departments').set({ active: false }).where('id', '=', child.id).execute();
    const after = await findToken(ctx.db, sha256Hex(token));
    expect(after?.username).toBe('multi.role');
    expect(after?.roles).toEqual([]);

    expect(await findToken(ctx.db, sha256Hex('cvt_not-a-token'))).toBeUndefined();
  });
});
