import { describe, expect, it } from 'vitest';
import { passwordClassCount, passwordProblems } from './password-policy.ts';

describe('password policy', () => {
  it('accepts a mixed password of ten characters and a long passphrase of one class', () => {
    expect(passwordProblems('Tr0ub4dor&3', 'alice')).toEqual([]);
    expect(passwordProblems('correct horse battery staple', 'alice')).toEqual([]);
  });

  it('needs three of four classes below sixteen characters', () => {
    expect(passwordClassCount('abcDEF123!')).toBe(4);
    expect(passwordProblems('abcdefghij12')).toEqual(['too_few_classes']);
    expect(passwordProblems('abcdefGHIJ12')).toEqual([]);
    expect(passwordProblems('abcdefghijklmnop')).toEqual([]);
  });

  it('reports length limits in characters, not bytes', () => {
    expect(passwordProblems('Ab1!')).toEqual(['too_short']);
    expect(passwordProblems('密码Ab1!密码Ab1!')).toEqual([]);
    expect(passwordProblems(`Aa1!${'x'.repeat(253)}`)).toEqual(['too_long']);
  });

  it('refuses the username inside the password, whatever the case', () => {
    expect(passwordProblems('Zhangsan-2024!', 'zhangsan')).toEqual(['contains_username']);
    expect(passwordProblems('Zhangsan-2024!', 'zs')).toEqual([]);
  });

  it('refuses common passwords and lists every problem at once', () => {
    expect(passwordProblems('P@ssw0rd123')).toEqual(['common']);
    expect(passwordProblems('woaini1314', 'woaini')).toEqual([
      'too_few_classes',
      'contains_username',
      'common',
    ]);
  });
});
