// The query refine that shows one person's photos: the person facet's refine when the search offered
// it, else `person:"Name"` for a named person, else `person:"#ID"` (by id: an unnamed person). Pure.

import type { FacetValue } from './api';

export function quoteValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function personRefine(person: { id: number; name: string | null }, personFacet?: FacetValue[] | null): string {
  if (person.name) {
    const hit = personFacet?.find((v) => v.value === person.name);
    return hit?.refine ?? `person:${quoteValue(person.name)}`;
  }
  return `person:"#${person.id}"`;
}

/** Which person to merge the others into: the first selected named one, else the one with most faces. */
export function mergeTarget<P extends { id: number; name: string | null; faces: number }>(selected: P[]): P | null {
  if (!selected.length) return null;
  return selected.find((p) => p.name) ?? [...selected].sort((a, b) => b.faces - a.faces)[0];
}
