import { describe, expect, it } from 'vitest';
import { NONE, click, explicitIds, isSelected, selectAll, selectedCount, toggleOne } from './selection';

const idAt = (i: number) => (i < 50 ? 1000 + i : undefined); // hits 0..49 loaded
const plain = { toggle: false, range: false };
const ctrl = { toggle: true, range: false };
const shift = { toggle: false, range: true };

describe('selection', () => {
  it('a click selects only that photo', () => {
    let s = click(NONE, 1003, 3, plain, idAt);
    s = click(s, 1005, 5, plain, idAt);
    expect(explicitIds(s)).toEqual([1005]);
  });

  it('ctrl-click toggles', () => {
    let s = click(NONE, 1003, 3, plain, idAt);
    s = click(s, 1005, 5, ctrl, idAt);
    expect(selectedCount(s, 100)).toBe(2);
    s = click(s, 1003, 3, ctrl, idAt);
    expect(explicitIds(s)).toEqual([1005]);
  });

  it('shift-click selects the range from the anchor, either way', () => {
    let s = click(NONE, 1010, 10, plain, idAt);
    s = click(s, 1013, 13, shift, idAt);
    expect(explicitIds(s)?.sort()).toEqual([1010, 1011, 1012, 1013]);
    s = click(s, 1008, 8, shift, idAt); // same anchor, other direction: replaces the range
    expect(explicitIds(s)?.sort()).toEqual([1008, 1009, 1010]);
  });

  it('skips indexes whose hit is not loaded in a range', () => {
    let s = click(NONE, 1048, 48, plain, idAt);
    s = click(s, 0, 52, shift, idAt);
    expect(explicitIds(s)?.sort()).toEqual([1048, 1049]);
  });

  it('select all counts the total and excludes toggled photos', () => {
    let s = selectAll();
    expect(isSelected(s, 1)).toBe(true);
    expect(selectedCount(s, 100_000)).toBe(100_000);
    expect(explicitIds(s)).toBeNull();
    s = toggleOne(s, 7, 0);
    expect(isSelected(s, 7)).toBe(false);
    expect(selectedCount(s, 100_000)).toBe(99_999);
  });
});
