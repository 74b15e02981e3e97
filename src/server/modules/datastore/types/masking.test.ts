import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/support/test-context.ts';
import { MASK_RULES, type MaskRule, maskExpression, maskValue } from './masking.ts';
import { overValues, storable } from './types.test-helpers.ts';

// Masked values look the same whether PostgreSQL (access views) or Node (previews) masks them.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.dispose());

describe('maskValue', () => {
  it.each<[MaskRule, string, string]>([
    ['none', '张三', '张三'],
    ['full', '13812345678', '****'],
    ['id_number', '339901199001010213', '3399**********0213'],
    ['id_number', '1234567', '*******'],
    ['phone', '13812345678', '138****5678'],
    ['phone', '0571-88881234', '057******1234'],
    ['name', '张三丰', '张**'],
    ['name', '李', '*'],
    ['email', 'zhangsan@example.gov.cn', 'z***@example.gov.cn'],
    ['email', '@example.com', '***@example.com'],
    ['email', 'no-at-sign', 'no******gn'],
    ['partial', '浙江省杭州市西湖区', '浙江*****湖区'],
    ['partial', 'abc', '***'],
    ['partial', '😀😀😀😀', '😀**😀'],
  ])('%s masks %j as %j', (rule, value, masked) => {
    expect(maskValue(value, rule)).toBe(masked);
  });

  it('keeps NULL', () => {
    for (const rule of MASK_RULES) expect(maskValue(null, rule)).toBeNull();
  });
});

describe('maskExpression', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 24 }),
    fc.string({ unit: fc.constantFrom('张', '@', 'a', '1', '😀', '.', ' '), maxLength: 20 }),
    fc.stringMatching(/^1[3-9][0-9]{9}$/),
  );

  it('agrees with maskValue for every rule', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(text.filter(storable), { freq: 10 }), { minLength: 1, maxLength: 60 }),
        async (values) => {
          const rows = await overValues<Record<string, string | null>>(ctx.db, values, (v) =>
            sql.join(MASK_RULES.map((rule) => sql`${maskExpression(v, rule)} as ${sql.id(rule)}`)),
          );
          rows.forEach((row, i) => {
            for (const rule of MASK_RULES)
              expect([rule, row[rule]]).toEqual([rule, maskValue(values[i]!, rule)]);
          });
        },
      ),
      { numRuns: 40 },
    );
  });

  it('masks columns of other types through their text', async () => {
    const { rows } = await sql<{
      a: string;
      b: string;
    }>`select ${maskExpression(sql`13812345678::bigint`, 'phone')} as a,
      ${maskExpression(sql`date '2023-05-21'`, 'partial')} as b`.execute(ctx.db);
    expect(rows[0]).toEqual({ a: '138****5678', b: '20******21' });
  });
});
