import { describe, expect, it } from 'vitest';
import type { StoredMetadata } from './api';
import { clipText, hasMetadata, keywordLevels, keywordRefine, ratingLabel, ratingValueLabel } from './metadata';

const empty: StoredMetadata = {
  sidecar: null,
  problem: null,
  keywords: [],
  rating: null,
  label: null,
  title: null,
  caption: null,
  creator: null,
  copyright: null,
  regions: [],
  people: [],
};

describe('metadata', () => {
  it('shows ratings as stars', () => {
    expect(ratingLabel(5)).toBe('★★★★★');
    expect(ratingLabel(1)).toBe('★☆☆☆☆');
    expect(ratingLabel(-1)).toBe('Rejected');
    expect(ratingLabel(null)).toBeNull();
    expect(ratingLabel(0)).toBeNull();
    expect(ratingLabel(7)).toBeNull();
    expect(ratingLabel(2.5)).toBeNull();
  });

  it('labels the rating facet', () => {
    expect(ratingValueLabel('4')).toBe('★★★★☆');
    expect(ratingValueLabel('rejected')).toBe('Rejected');
    expect(ratingValueLabel('odd')).toBe('odd');
  });

  it('splits keyword paths', () => {
    expect(keywordLevels('People/Family/Ana')).toEqual(['People', 'Family', 'Ana']);
    expect(keywordLevels('beach')).toEqual(['beach']);
    expect(keywordLevels(' a / /b ')).toEqual(['a', 'b']);
  });

  it('finds a keyword by the facet’s refine, else by a quoted term', () => {
    const facet = [{ value: 'Places/Beach', count: 2, refine: 'keyword:"Places/Beach"' }];
    expect(keywordRefine('Places/Beach', facet)).toBe('keyword:"Places/Beach"');
    expect(keywordRefine('say "hi"', facet)).toBe('keyword:"say \\"hi\\""');
    expect(keywordRefine('beach', null)).toBe('keyword:"beach"');
  });

  it('knows when there is nothing to show', () => {
    expect(hasMetadata(empty)).toBe(false);
    expect(hasMetadata({ ...empty, rating: 0 })).toBe(false);
    expect(hasMetadata({ ...empty, rating: 3 })).toBe(true);
    expect(hasMetadata({ ...empty, keywords: ['a'] })).toBe(true);
    expect(hasMetadata({ ...empty, problem: 'bad XML' })).toBe(true);
    expect(hasMetadata({ ...empty, sidecar: { path: '/p/a.jpg.xmp', size: 10, mtime_ns: 1 } })).toBe(true);
  });

  it('clips long texts at a word', () => {
    expect(clipText('  short  ')).toEqual({ shown: 'short', clipped: false });
    const long = 'word '.repeat(40);
    const { shown, clipped } = clipText(long, 22);
    expect(clipped).toBe(true);
    expect(shown).toBe('word word word word…');
    // One unbroken word is cut where it must be.
    expect(clipText('x'.repeat(30), 10).shown).toBe('xxxxxxxxxx…');
    // No stop before the ellipsis.
    expect(clipText('One sentence. Two sentences here', 14).shown).toBe('One sentence…');
  });
});
