// "More like this" in the grid: the query that finds the photos like one photo, and the order that
// ranks them (most alike first), which only a query with a `similar:` term can use. Pure.

import type { Sort } from './api';

/** The query of the photos like photo `id`. */
export function similarQuery(id: number): string {
  return `similar:${id}`;
}

/** Whether a query has a `similar:` term (a field at the start of a word, negated or grouped or not). */
export function hasSimilarTerm(query: string | null): boolean {
  return query !== null && /(^|[\s(|-])similar:/i.test(query);
}

/** The order to ask for: "most alike" falls back to date taken once the query has no `similar:`. */
export function sortFor(sort: Sort, query: string | null): Sort {
  return sort === 'similar' && !hasSimilarTerm(query) ? 'taken' : sort;
}
