import { describe, expect, it } from 'vitest';
import { changeSearch, readSearch, writeSearch } from './search-state.ts';

describe('portal search in the address', () => {
  it('reads what it writes', () => {
    const state = readSearch(
      new URLSearchParams('q=营业执照&department=LS-SAMR&tags=企业&sort=modified&page=3'),
    );
    expect(state).toEqual({
      q: '营业执照',
      filters: { department: 'LS-SAMR', tags: '企业' },
      sort: 'modified',
      page: 3,
    });
    expect(readSearch(writeSearch(state))).toEqual(state);
  });

  it('ignores unknown sorts, bad pages and unknown parameters', () => {
    expect(readSearch(new URLSearchParams('sort=evil&page=-2&foo=bar'))).toEqual({
      q: '',
      filters: {},
      sort: undefined,
      page: 1,
    });
  });

  it('starts again at page one when the search changes, and removes cleared filters', () => {
    const state = readSearch(new URLSearchParams('q=a&format=CSV&page=4'));
    expect(changeSearch(state, { set: { format: undefined, theme: 'econ' } })).toEqual({
      q: 'a',
      filters: { theme: 'econ' },
      sort: undefined,
      page: 1,
    });
    expect(changeSearch(state, { page: 5 }).page).toBe(5);
    expect(writeSearch(changeSearch(state, { q: '' })).toString()).toBe('format=CSV');
  });
});
