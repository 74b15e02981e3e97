import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate, pickLang } from './text.ts';

describe('catalog text helpers', () => {
  it('shows the interface language and falls back to the other one when empty', () => {
    expect(pickLang('营业执照', 'Business licences', 'en')).toBe('Business licences');
    expect(pickLang('营业执照', '', 'en')).toBe('营业执照');
    expect(pickLang('', 'Business licences', 'zh-CN')).toBe('Business licences');
    expect(pickLang('营业执照', 'Business licences', 'zh-CN')).toBe('营业执照');
  });

  it('writes sizes in binary units', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
  });

  it('keeps plain dates as they are', () => {
    expect(formatDate('2026-01-31', 'en')).toBe('2026-01-31');
    expect(formatDate(null, 'en')).toBe('—');
  });
});
