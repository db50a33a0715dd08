// Facet display: titles, value labels, and the rows of one facet group (counts from the latest search,
// plus ticked values that dropped out of it, shown with count 0). Pure.

import type { FacetName, FacetValue, Facets } from './api';
import { ratingValueLabel } from './metadata';

export const FACET_TITLES: Record<FacetName, string> = {
  person: 'People',
  attribute: 'Attributes',
  emotion: 'Emotion',
  age: 'Age',
  label: 'Labels',
  object: 'Objects',
  carrying: 'Carrying',
  wearing: 'Wearing',
  keyword: 'Keywords',
  rating: 'Rating',
  camera: 'Camera',
  lens: 'Lens',
  year: 'Year',
  format: 'Format',
};

/** How many values a long group shows until "show all". */
export const COLLAPSED = 8;

export interface FacetRow {
  value: string;
  label: string;
  refine: string;
  count: number;
  selected: boolean;
}

/** A value as people read it: "eyes_open" → "eyes open", format in capitals, ratings as stars. */
export function valueLabel(facet: FacetName, value: string): string {
  if (facet === 'attribute') return value.replace(/_/g, ' ');
  if (facet === 'format') return value.toUpperCase();
  if (facet === 'rating') return ratingValueLabel(value);
  return value;
}

/** A label for a refine whose value is not known: the part after the field, unquoted. */
export function labelFromRefine(refine: string): string {
  const m = /^[a-z_]+:(.*)$/i.exec(refine.trim());
  const v = (m ? m[1] : refine).trim();
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, '$1') : v;
}

/**
 * The rows of a facet: its values in the backend's order (by count) — without those that would find
 * nothing unless ticked — then ticked values missing from them (count 0). `known` maps refines seen before to their values, for the labels of missing ones.
 */
export function facetRows(
  facet: FacetName,
  values: FacetValue[] | undefined,
  selected: readonly string[],
  known?: ReadonlyMap<string, string>,
): FacetRow[] {
  const rows: FacetRow[] = (values ?? [])
    .filter((v) => v.count > 0 || selected.includes(v.refine))
    .map((v) => ({
    value: v.value,
    label: valueLabel(facet, v.value),
    refine: v.refine,
    count: v.count,
    selected: selected.includes(v.refine),
  }));
  for (const refine of selected) {
    if (rows.some((r) => r.refine === refine)) continue;
    const value = known?.get(refine) ?? labelFromRefine(refine);
    rows.push({ value, label: valueLabel(facet, value), refine, count: 0, selected: true });
  }
  return rows;
}

/** The rows shown while a group is collapsed: the first `limit`, plus any ticked one beyond them. */
export function collapsedRows(rows: FacetRow[], limit = COLLAPSED): FacetRow[] {
  return rows.filter((r, i) => i < limit || r.selected);
}

/**
 * The counts to show: the search's, except that each facet with ticks shows its values as counted
 * by the search without its own ticks (see `facetCountQueries`).
 */
export function withOwnCounts(facets: Facets, own: Partial<Record<FacetName, FacetValue[]>>): Facets {
  const out = { ...facets };
  for (const [facet, values] of Object.entries(own) as [FacetName, FacetValue[]][]) out[facet] = values;
  return out;
}
