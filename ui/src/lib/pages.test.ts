import { describe, expect, it } from 'vitest';
import { PageCache } from './pages';

const items = (page: number, size: number, n = size) => Array.from({ length: n }, (_, i) => page * size + i);

describe('PageCache', () => {
  it('lists the pages a range of indexes needs', () => {
    const c = new PageCache<number>(100);
    expect(c.pagesFor(0, 1)).toEqual([0]);
    expect(c.pagesFor(0, 100)).toEqual([0]);
    expect(c.pagesFor(99, 101)).toEqual([0, 1]);
    expect(c.pagesFor(250, 520)).toEqual([2, 3, 4, 5]);
    expect(c.pagesFor(50, 50)).toEqual([]);
    expect(c.pagesFor(-20, 10)).toEqual([0]);
  });

  it('clamps the range to the total', () => {
    const c = new PageCache<number>(100);
    expect(c.pagesFor(150, 1000, 230)).toEqual([1, 2]);
    expect(c.missing(0, 1000, 0)).toEqual([]);
  });

  it('does not ask again for pages that are loaded or in flight', () => {
    const c = new PageCache<number>(100);
    expect(c.missing(0, 300)).toEqual([0, 1, 2]);
    const t0 = c.begin(0);
    c.begin(1);
    expect(c.missing(0, 300)).toEqual([2]);
    expect(c.isInFlight(1)).toBe(true);
    expect(c.store(0, items(0, 100), t0)).toBe(true);
    expect(c.has(0)).toBe(true);
    expect(c.isInFlight(0)).toBe(false);
    expect(c.missing(0, 300)).toEqual([2]);
  });

  it('reads items by result index', () => {
    const c = new PageCache<number>(100);
    c.store(2, items(2, 100), c.begin(2));
    expect(c.get(250)).toBe(250);
    expect(c.get(199)).toBeUndefined();
    expect(c.get(300)).toBeUndefined();
  });

  it('lets a failed page be asked for again', () => {
    const c = new PageCache<number>(100);
    const t = c.begin(0);
    c.fail(0, t);
    expect(c.missing(0, 10)).toEqual([0]);
  });

  it('drops everything on invalidate, and answers that arrive after it', () => {
    const c = new PageCache<number>(100);
    c.store(0, items(0, 100), c.begin(0));
    const late = c.begin(1);
    c.invalidate();
    expect(c.get(5)).toBeUndefined();
    expect(c.missing(0, 200)).toEqual([0, 1]); // in-flight of the old query does not count
    expect(c.store(1, items(1, 100), late)).toBe(false);
    expect(c.get(150)).toBeUndefined();
  });

  it('keeps stale pages readable but refetchable with keepStale', () => {
    const c = new PageCache<number>(100);
    c.store(0, items(0, 100), c.begin(0));
    c.invalidate(true);
    expect(c.get(5)).toBe(5);
    expect(c.has(0)).toBe(false);
    expect(c.missing(0, 100)).toEqual([0]);
    const t = c.begin(0);
    c.store(0, items(0, 100).map((x) => x + 1000), t);
    expect(c.get(5)).toBe(1005);
    expect(c.has(0)).toBe(true);
  });

  it('gives the leading contiguous items and all loaded items', () => {
    const c = new PageCache<number>(10);
    c.store(0, items(0, 10), c.begin(0));
    c.store(1, items(1, 10), c.begin(1));
    c.store(3, items(3, 10), c.begin(3));
    expect(c.leading(12)).toEqual(items(0, 10).concat([10, 11]));
    expect(c.leading(100)).toHaveLength(20); // stops at the gap
    expect(c.loaded()).toHaveLength(30);
  });
});
