import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en, zhCN } from './index.ts';

// Every literal key the web app passes to t() must exist in both languages, and both languages
// must have the same keys; a missing key would show raw "people.title" text to users.

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'locales' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function leafKeys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leafKeys(v, prefix ? `${prefix}.${k}` : k),
  );
}

const lookup = (resources: unknown, key: string) =>
  key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined,
      resources,
    );

describe('web locales', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(leafKeys(en).sort()).toEqual(leafKeys(zhCN).sort());
  });

  it('every literal t() key used in src/web exists in both languages', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(WEB)) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter(
      (key) => typeof lookup(zhCN, key) !== 'string' || typeof lookup(en, key) !== 'string',
    );
    expect(missing).toEqual([]);
  });

  it('every dynamic key family has an entry for each value it is built from', () => {
    for (const role of [
      'platform_admin',
      'dept_admin',
      'data_steward',
      'case_handler',
      'reviewer',
      'auditor',
      'identity_verifier',
    ]) {
      expect(typeof lookup(en, `roles.${role}`)).toBe('string');
    }
    for (const status of [
      'workday',
      'weekend',
      'holiday',
      'makeUpWorkday',
      'overrideWorking',
      'overrideOff',
    ]) {
      expect(typeof lookup(en, `calendar.status.${status}`)).toBe('string');
      expect(typeof lookup(zhCN, `calendar.status.${status}`)).toBe('string');
    }
    for (const kind of ['changed', 'missing', 'reordered', 'truncated', 'bad_checkpoint']) {
      expect(typeof lookup(zhCN, `audit.problem.${kind}`)).toBe('string');
    }
  });
});
