import { describe, expect, it } from 'vitest';
import { hasSimilarTerm, similarQuery, sortFor } from './similar';

describe('similar', () => {
  it('names a photo by id', () => {
    expect(similarQuery(42)).toBe('similar:42');
    expect(hasSimilarTerm(similarQuery(42))).toBe(true);
  });

  it('finds a similar: term wherever a term may start', () => {
    expect(hasSimilarTerm('beach similar:3')).toBe(true);
    expect(hasSimilarTerm('-similar:3')).toBe(true);
    expect(hasSimilarTerm('(similar:3|similar:4)')).toBe(true);
    expect(hasSimilarTerm('dissimilar:3')).toBe(false);
    expect(hasSimilarTerm(null)).toBe(false);
  });

  it('sorts by likeness only when the query has a similar: term', () => {
    expect(sortFor('similar', 'similar:7 smile')).toBe('similar');
    expect(sortFor('similar', 'smile')).toBe('taken');
    expect(sortFor('similar', null)).toBe('taken');
    expect(sortFor('name', 'smile')).toBe('name');
  });
});
