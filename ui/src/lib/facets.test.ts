import { describe, expect, it } from 'vitest';
import type { Facets } from './api';
import { collapsedRows, facetRows, labelFromRefine, valueLabel, withOwnCounts } from './facets';

const v = (value: string, count: number, refine = `label:${value}`) => ({ value, count, refine });

describe('facet rows', () => {
  it('marks ticked values and keeps the backend order', () => {
    const rows = facetRows('label', [v('cat', 9), v('dog', 4)], ['label:dog']);
    expect(rows.map((r) => [r.value, r.count, r.selected])).toEqual([
      ['cat', 9, false],
      ['dog', 4, true],
    ]);
  });

  it('keeps a ticked value that dropped out of the counts, with count 0', () => {
    const known = new Map([['person:"Ana Maria"', 'Ana Maria']]);
    const rows = facetRows('person', [], ['person:"Ana Maria"', 'person:"Bo \\"B\\""'], known);
    expect(rows.map((r) => [r.label, r.count, r.selected])).toEqual([
      ['Ana Maria', 0, true],
      ['Bo "B"', 0, true],
    ]);
  });

  it('leaves out values that would find nothing, unless ticked', () => {
    const rows = facetRows('label', [v('cat', 3), v('dog', 0), v('owl', 0)], ['label:owl']);
    expect(rows.map((r) => r.value)).toEqual(['cat', 'owl']);
  });

  it('shows the top values collapsed, and ticked values beyond them', () => {
    const rows = facetRows('label', Array.from({ length: 20 }, (_, i) => v(`l${i}`, 100 - i)), ['label:l15']);
    const shown = collapsedRows(rows, 8);
    expect(shown).toHaveLength(9);
    expect(shown[8].value).toBe('l15');
  });

  it('labels values for people', () => {
    expect(valueLabel('attribute', 'eyes_open')).toBe('eyes open');
    expect(valueLabel('format', 'jpeg')).toBe('JPEG');
    expect(valueLabel('rating', '3')).toBe('★★★☆☆');
    expect(valueLabel('rating', 'rejected')).toBe('Rejected');
    expect(valueLabel('keyword', 'People/Family')).toBe('People/Family');
    expect(labelFromRefine('age:>=60')).toBe('>=60');
    expect(labelFromRefine('beard')).toBe('beard');
  });
});

describe('own counts of ticked groups', () => {
  it("replaces a ticked group's values and keeps the others", () => {
    const facets = { label: [v('cat', 3)], year: [v('2024', 3, 'year:2024')] } as unknown as Facets;
    const merged = withOwnCounts(facets, { label: [v('cat', 3), v('dog', 5)] });
    expect(merged.label.map((x) => [x.value, x.count])).toEqual([
      ['cat', 3],
      ['dog', 5],
    ]);
    expect(merged.year).toBe(facets.year);
    expect(facets.label).toHaveLength(1);
  });
});
