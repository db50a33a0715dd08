// The objects of a photo as the side panel lists them: one row per class with how many were found and
// the best score, best class first; and each person's body with their face and what they carry. Pure.

import type { StoredObject } from './api';

export interface ObjectRow {
  class: string;
  count: number;
  best: number;
}

export function objectRows(objects: readonly StoredObject[]): ObjectRow[] {
  const rows = new Map<string, ObjectRow>();
  for (const o of objects) {
    const row = rows.get(o.class);
    if (row) {
      row.count += 1;
      row.best = Math.max(row.best, o.score);
    } else rows.set(o.class, { class: o.class, count: 1, best: o.score });
  }
  return [...rows.values()].sort((a, b) => b.best - a.best || a.class.localeCompare(b.class));
}

/** A person seen whole: their body, the face that heads it (if seen), what they carry and wear. */
export interface PersonRow {
  body: number;
  face: number | null;
  carrying: string[];
  /** Clothing scoring at least the wearing threshold, best first. */
  wearing: string[];
}

/** The score from which a body wears a piece of clothing (argus_core::clothing::WEARING_MIN_SCORE). */
export const WEARING_MIN_SCORE = 0.2;

/** Every body of the photo, left to right, with its face, the classes it carries (sorted) and what
 * it wears. */
export function personRows(objects: readonly StoredObject[]): PersonRow[] {
  return objects
    .filter((o) => o.class === 'person')
    .sort((a, b) => a.x - b.x || a.id - b.id)
    .map((body) => ({
      body: body.id,
      face: body.face_id,
      carrying: objects
        .filter((o) => o.carrier_id === body.id)
        .map((o) => o.class)
        .sort(),
      wearing: body.wearing.filter((w) => w.score >= WEARING_MIN_SCORE).map((w) => w.name),
    }));
}
