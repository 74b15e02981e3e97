import { describe, expect, it } from 'vitest';
import { monthRange, officialStatusKey, statusKey } from './calendar-month.ts';

describe('calendar month helpers', () => {
  it('covers the six weeks a month view draws', () => {
    expect(monthRange('2026-02')).toEqual({ from: '2026-01-25', to: '2026-03-14' });
    expect(monthRange('2024-02')).toEqual({ from: '2024-01-25', to: '2024-03-14' });
    expect(monthRange('2026-12')).toEqual({ from: '2026-11-24', to: '2027-01-14' });
  });

  it('names each kind of day', () => {
    expect(statusKey({ working: true, source: 'override', officialWorking: false })).toBe('overrideWorking');
    expect(statusKey({ working: false, source: 'override', officialWorking: true })).toBe('overrideOff');
    expect(statusKey({ working: true, source: 'official', officialWorking: true })).toBe('makeUpWorkday');
    expect(statusKey({ working: false, source: 'official', officialWorking: false })).toBe('holiday');
    expect(statusKey({ working: true, source: 'weekday', officialWorking: true })).toBe('workday');
    expect(statusKey({ working: false, source: 'weekend', officialWorking: false })).toBe('weekend');
  });

  it('names what the official calendar says under an override', () => {
    expect(officialStatusKey({ officialWorking: false, holidayZh: '国庆节' })).toBe('holiday');
    expect(officialStatusKey({ officialWorking: true, holidayZh: '国庆节' })).toBe('makeUpWorkday');
    expect(officialStatusKey({ officialWorking: false, holidayZh: null })).toBe('weekend');
    expect(officialStatusKey({ officialWorking: true, holidayZh: null })).toBe('workday');
  });
});
