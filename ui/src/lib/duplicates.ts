// The Duplicates view's words and facts: what each kind of group means, why a photo is suggested to
// keep, the facts that tell a group's members apart (pixel size, format, file size, date taken,
// sharpness), which photos go when one is kept, and their paths for the user's own clean-up. Pure.

import type { DuplicateGroup, DuplicateKind, DuplicateMember, KeepReason } from './api';
import { bytes, takenLabel } from './format';

export const KIND_LABELS: Record<DuplicateKind, { label: string; help: string }> = {
  exact: { label: 'Exact copies', help: 'The same file content at different paths.' },
  near: {
    label: 'Near copies',
    help: 'One picture resized, re-encoded, re-exported or lightly edited (cropped, rotated, brightened).',
  },
  burst: { label: 'Burst', help: 'The same scene taken seconds apart by the same camera.' },
};

/** Why a photo is suggested, as the end of "Suggested: it has …". */
export const KEEP_REASONS: Record<KeepReason, string> = {
  pixels: 'the most pixels',
  metadata: 'the most camera metadata (date, camera, GPS)',
  sharpness: 'the sharpest pixels',
  file_size: 'the largest file',
  oldest: 'the oldest file',
  first_catalogued: 'the first catalogued (the photos are otherwise equal)',
};

/** The whole rule, in order. */
export const KEEP_RULE =
  'The photo to keep has the most pixels, then the most camera metadata (date, camera, GPS), then is the sharpest, has the largest file, the oldest file, and was catalogued first.';

/** The suggested photo's tooltip: what decided, then the rule. */
export function keepTooltip(group: DuplicateGroup): string {
  return `Suggested to keep: ${KEEP_REASONS[group.keep_because]}. ${KEEP_RULE}`;
}

export type FactKey = 'pixels' | 'format' | 'size' | 'taken' | 'sharpness';

export interface Fact {
  key: FactKey;
  label: string;
  value: string;
  /** Not every member of the group has this value. */
  differs: boolean;
}

const FACT_LABELS: Record<FactKey, string> = {
  pixels: 'Pixels',
  format: 'Format',
  size: 'File',
  taken: 'Taken',
  sharpness: 'Sharpness',
};

function factValue(key: FactKey, m: DuplicateMember): string {
  const p = m.photo;
  switch (key) {
    case 'pixels':
      return p.width && p.height ? `${p.width} × ${p.height}` : 'unknown';
    case 'format':
      return p.format ? p.format.toUpperCase() : 'unknown';
    case 'size':
      return bytes(p.size);
    case 'taken':
      return p.taken_at ? takenLabel(p.taken_at, p.taken_offset) : 'no date';
    case 'sharpness':
      return String(Math.round(m.sharpness));
  }
}

/** Each member's facts, in member order; a fact that is not the same for all members `differs`. */
export function memberFacts(group: DuplicateGroup): Fact[][] {
  const keys = Object.keys(FACT_LABELS) as FactKey[];
  const values = group.members.map((m) => keys.map((k) => factValue(k, m)));
  const differs = keys.map((_, i) => new Set(values.map((v) => v[i])).size > 1);
  return values.map((row) =>
    row.map((value, i) => ({ key: keys[i], label: FACT_LABELS[keys[i]], value, differs: differs[i] })),
  );
}

/** The ids of the members other than `keep`. */
export function othersOf(group: DuplicateGroup, keep: number): number[] {
  return group.members.map((m) => m.photo.id).filter((id) => id !== keep);
}

/** The paths of the photos that could go (every member but the one kept), one per line. */
export function otherPaths(groups: { group: DuplicateGroup; keep: number }[]): string {
  return groups
    .flatMap(({ group, keep }) => group.members.filter((m) => m.photo.id !== keep).map((m) => m.photo.path))
    .join('\n');
}

/** A group's stable key: its photo ids, sorted. */
export function groupKey(group: DuplicateGroup): string {
  return group.members
    .map((m) => m.photo.id)
    .sort((a, b) => a - b)
    .join(',');
}
