// The objects of a photo as the side panel lists them: one row per class with how many were found and
// the best score, best class first. Pure.

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
