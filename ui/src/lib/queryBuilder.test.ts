import { describe, expect, it } from 'vitest';
import {
  byteToCharOffset,
  clear,
  combine,
  combinedQuery,
  emptyState,
  facetCountQueries,
  hasFilters,
  hasTopLevelOr,
  isSelected,
  mapErrorToText,
  only,
  selections,
  setText,
  toggle,
  withoutFacet,
  type QueryState,
} from './queryBuilder';

/** Byte span of `part` inside `query` (the backend reports UTF-8 byte offsets). */
function byteSpan(query: string, part: string): { start: number; end: number } {
  const at = query.indexOf(part);
  if (at < 0) throw new Error(`${part} not in ${query}`);
  const enc = new TextEncoder();
  const start = enc.encode(query.slice(0, at)).length;
  return { start, end: start + enc.encode(part).length };
}

describe('combinedQuery', () => {
  it('is null for nothing typed and nothing ticked', () => {
    expect(combinedQuery(emptyState())).toBeNull();
    expect(combinedQuery(emptyState('   '))).toBeNull();
  });

  it('uses one facet value as is', () => {
    const s = toggle(emptyState(), 'label', 'label:cat');
    expect(combinedQuery(s)).toBe('label:cat');
  });

  it('ORs two values of the same facet inside parentheses', () => {
    let s = toggle(emptyState(), 'label', 'label:cat');
    s = toggle(s, 'label', 'label:dog');
    expect(combinedQuery(s)).toBe('(label:cat or label:dog)');
  });

  it('ANDs different facets by juxtaposition', () => {
    let s = toggle(emptyState(), 'attribute', 'beard');
    s = toggle(s, 'year', 'year:2024');
    expect(combinedQuery(s)).toBe('beard year:2024');
  });

  it('orders facets by the facet order, not by click order', () => {
    let s = toggle(emptyState(), 'year', 'year:2024');
    s = toggle(s, 'person', 'person:"Ana"');
    expect(combinedQuery(s)).toBe('person:"Ana" year:2024');
  });

  it('parenthesises refines with spaces when OR-ing them', () => {
    let s = toggle(emptyState(), 'age', 'age:>=20 age:<30');
    expect(combinedQuery(s)).toBe('age:>=20 age:<30');
    s = toggle(s, 'age', 'age:>=60');
    expect(combinedQuery(s)).toBe('((age:>=20 age:<30) or age:>=60)');
  });

  it('keeps quoted person names with spaces intact', () => {
    let s = toggle(emptyState(), 'person', 'person:"Ana Maria"');
    s = toggle(s, 'person', 'person:"Bo"');
    expect(combinedQuery(s)).toBe('(person:"Ana Maria" or person:"Bo")');
  });

  it('puts typed text first and ANDs it with the facets', () => {
    const s = toggle(emptyState('beard sunglasses'), 'year', 'year:2024');
    expect(combinedQuery(s)).toBe('beard sunglasses year:2024');
  });

  it('parenthesises typed text with a top-level or', () => {
    const s = toggle(emptyState('cat or dog'), 'year', 'year:2024');
    expect(combinedQuery(s)).toBe('(cat or dog) year:2024');
    expect(combinedQuery(emptyState('cat OR dog'))).toBe('(cat OR dog)');
  });

  it('leaves typed text whose or is nested or quoted as is', () => {
    expect(combinedQuery(emptyState('(cat or dog) beard'))).toBe('(cat or dog) beard');
    expect(combinedQuery(emptyState('text:"this or that"'))).toBe('text:"this or that"');
    expect(combinedQuery(emptyState('color orange'))).toBe('color orange');
  });

  it('trims the typed text', () => {
    expect(combinedQuery(emptyState('  beard  '))).toBe('beard');
  });
});

describe('hasTopLevelOr', () => {
  it.each([
    ['a or b', true],
    ['a Or b', true],
    ['(a or b)', false],
    ['"a or b"', false],
    ['x:"q \\" or" y', false],
    ['a (b) or c', true],
    ['orchid', false],
    ['-or', false],
    ['a|b', false],
  ])('%s → %s', (text, expected) => {
    expect(hasTopLevelOr(text)).toBe(expected);
  });
});

describe('toggle, isSelected, clear', () => {
  it('toggles a value on and off', () => {
    const on = toggle(emptyState(), 'label', 'label:cat');
    expect(isSelected(on, 'label', 'label:cat')).toBe(true);
    const off = toggle(on, 'label', 'label:cat');
    expect(isSelected(off, 'label', 'label:cat')).toBe(false);
    expect(off.selected.label).toBeUndefined();
    expect(combinedQuery(off)).toBeNull();
  });

  it('does not mutate the previous state', () => {
    const a = emptyState();
    const b = toggle(a, 'label', 'label:cat');
    expect(a.selected).toEqual({});
    toggle(b, 'label', 'label:dog');
    expect(b.selected.label).toEqual(['label:cat']);
  });

  it('unticking one of two values leaves a single unparenthesised term', () => {
    let s = toggle(emptyState(), 'label', 'label:cat');
    s = toggle(s, 'label', 'label:dog');
    s = toggle(s, 'label', 'label:cat');
    expect(combinedQuery(s)).toBe('label:dog');
  });

  it('clear removes facets and, unless kept, the text', () => {
    const s = toggle(emptyState('beard'), 'year', 'year:2024');
    expect(combinedQuery(clear(s))).toBeNull();
    expect(combinedQuery(clear(s, true))).toBe('beard');
  });

  it('lists selections in facet order and tells whether anything filters', () => {
    let s = toggle(emptyState(), 'year', 'year:2024');
    s = toggle(s, 'attribute', 'beard');
    expect(selections(s)).toEqual([
      { facet: 'attribute', refine: 'beard' },
      { facet: 'year', refine: 'year:2024' },
    ]);
    expect(hasFilters(emptyState())).toBe(false);
    expect(hasFilters(emptyState('x'))).toBe(true);
    expect(hasFilters(s)).toBe(true);
  });

  it('only() makes a state with just that value', () => {
    const s = only('person', 'person:"Ana"');
    expect(combinedQuery(s)).toBe('person:"Ana"');
    expect(setText(s, 'beard').text).toBe('beard');
  });
});

describe('error spans', () => {
  it('converts byte offsets to character offsets', () => {
    expect(byteToCharOffset('abc', 2)).toBe(2);
    expect(byteToCharOffset('café x', 6)).toBe(5); // é is two bytes
    expect(byteToCharOffset('😀a', 4)).toBe(2); // a surrogate pair is 4 bytes, 2 units
    expect(byteToCharOffset('abc', 99)).toBe(3);
  });

  it('maps an error in plain typed text to the same characters', () => {
    const s = toggle(emptyState('beard camra:x'), 'year', 'year:2024');
    const q = combinedQuery(s)!;
    expect(mapErrorToText(s, byteSpan(q, 'camra'))).toEqual({ start: 6, end: 11 });
  });

  it('maps through the parentheses added around text with a top-level or', () => {
    const s: QueryState = toggle(emptyState('cat or zzz:1'), 'label', 'label:dog');
    const { query, textStart, textEnd } = combine(s);
    expect(query).toBe('(cat or zzz:1) label:dog');
    expect([textStart, textEnd]).toEqual([1, 13]);
    expect(mapErrorToText(s, byteSpan(query!, 'zzz'))).toEqual({ start: 7, end: 10 });
  });

  it('maps through leading blanks and multi-byte characters', () => {
    const s = emptyState('  café zzzz:1');
    const q = combinedQuery(s)!;
    expect(q).toBe('café zzzz:1');
    expect(mapErrorToText(s, byteSpan(q, 'zzzz'))).toEqual({ start: 7, end: 11 });
  });

  it('returns null when the error is in a facet value, not in the typed text', () => {
    const s = toggle(emptyState('beard'), 'camera', 'camera:"X 100"');
    const q = combinedQuery(s)!;
    expect(mapErrorToText(s, byteSpan(q, '"X 100"'))).toBeNull();
    expect(mapErrorToText(toggle(emptyState(), 'year', 'year:x'), { start: 0, end: 4 })).toBeNull();
  });

  it('keeps a zero-width span at the end of the text (e.g. an unclosed parenthesis)', () => {
    const s = emptyState('(beard');
    expect(mapErrorToText(s, { start: 6, end: 6 })).toEqual({ start: 6, end: 6 });
  });

  it('clamps a span that runs from the text into a facet to the text', () => {
    const s = toggle(emptyState('beard -'), 'year', 'year:2024');
    const q = combinedQuery(s)!;
    expect(q).toBe('beard - year:2024');
    expect(mapErrorToText(s, { start: 6, end: q.length })).toEqual({ start: 6, end: 7 });
  });
});

describe('facet counts of ticked groups', () => {
  const ticked = (text: string, ...ticks: [Parameters<typeof toggle>[1], string][]): QueryState =>
    ticks.reduce((s, [facet, refine]) => toggle(s, facet, refine), emptyState(text));

  it('asks nothing more while nothing is ticked', () => {
    expect(facetCountQueries(emptyState('beard'))).toEqual([]);
  });

  it('counts a ticked group without its own ticks, keeping the text and the other groups', () => {
    const state = ticked('beard', ['label', 'label:cat'], ['label', 'label:dog'], ['year', 'year:2024']);
    expect(combinedQuery(state)).toBe('beard (label:cat or label:dog) year:2024');
    expect(facetCountQueries(state)).toEqual([
      { facet: 'label', query: 'beard year:2024' },
      { facet: 'year', query: 'beard (label:cat or label:dog)' },
    ]);
  });

  it('counts the only ticked group over all photos when nothing was typed', () => {
    const state = ticked('', ['person', 'person:"Ana"']);
    expect(facetCountQueries(state)).toEqual([{ facet: 'person', query: null }]);
  });

  it('leaves the state it was given alone', () => {
    const state = ticked('', ['label', 'label:cat']);
    const without = withoutFacet(state, 'label');
    expect(without.selected).toEqual({});
    expect(state.selected).toEqual({ label: ['label:cat'] });
  });
});
