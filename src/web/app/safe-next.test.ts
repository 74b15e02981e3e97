import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

describe('safeNext', () => {
  it('keeps paths of this site, with their query', () => {
    expect(safeNext('/console/people')).toBe('/console/people');
    expect(safeNext('/console/audit?action=identity.')).toBe('/console/audit?action=identity.');
  });

  it('drops other sites and protocol-relative tricks', () => {
    for (const next of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
      null,
    ]) {
      expect(safeNext(next)).toBeUndefined();
    }
  });
});
