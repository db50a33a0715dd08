// What a photo's XMP/IPTC metadata looks like in the app: ratings as stars, keyword paths as their
// levels, and the query that finds a keyword's photos (the keyword facet's refine when the search
// offered it, so ticking and clicking spell it the same). Pure.

import type { FacetValue, StoredMetadata } from './api';
import { quoteValue } from './personQuery';

/** The rating the files call "rejected" (`xmp:Rating` -1). */
export const REJECTED = -1;

/** `★★★★☆` for 4 of 5 stars, "Rejected" for -1; null for none or a value that is no rating. */
export function ratingLabel(rating: number | null | undefined): string | null {
  if (rating === REJECTED) return 'Rejected';
  if (rating == null || !Number.isInteger(rating) || rating < 1 || rating > 5) return null;
  return '★'.repeat(rating) + '☆'.repeat(5 - rating);
}

/** The rating facet's value (`5` … `1`, `rejected`) as shown. */
export function ratingValueLabel(value: string): string {
  if (value === 'rejected') return 'Rejected';
  return ratingLabel(Number(value)) ?? value;
}

/** A keyword path's levels: `People/Family/Ana` → `People`, `Family`, `Ana`. */
export function keywordLevels(path: string): string[] {
  return path
    .split('/')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The query term that finds the photos with a keyword (and those below it). */
export function keywordRefine(path: string, keywordFacet?: FacetValue[] | null): string {
  const hit = keywordFacet?.find((v) => v.value === path);
  return hit?.refine ?? `keyword:${quoteValue(path)}`;
}

/** Whether the photo carries anything worth a "Metadata" section. */
export function hasMetadata(m: StoredMetadata): boolean {
  return (
    m.keywords.length > 0 ||
    m.people.length > 0 ||
    ratingLabel(m.rating) !== null ||
    [m.label, m.title, m.caption, m.creator, m.copyright, m.problem].some((v) => v != null && v !== '') ||
    m.sidecar !== null
  );
}


/** How much of a long text (caption, copyright notice) the panel shows until "more". */
export const CLIP_CHARS = 140;

/** The start of a long text cut at a word, with an ellipsis; the text itself when short. */
export function clipText(text: string, max = CLIP_CHARS): { shown: string; clipped: boolean } {
  const t = text.trim();
  if (t.length <= max) return { shown: t, clipped: false };
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(' ');
  const start = (space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s.,;:]+$/, '');
  return { shown: `${start}…`, clipped: true };
}
