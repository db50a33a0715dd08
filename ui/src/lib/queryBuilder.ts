// Builds the search query from the typed text and the ticked facet values, and maps a query error's
// span in that combined query back to the typed text. Pure and immutable: every change returns a new state.

import type { FacetName } from './api';

/** The facets in the order they are shown and combined. */
export const FACET_ORDER: FacetName[] = [
  'person',
  'attribute',
  'emotion',
  'age',
  'label',
  'object',
  'carrying',
  'wearing',
  'keyword',
  'rating',
  'camera',
  'lens',
  'year',
  'format',
];

export interface QueryState {
  /** What the user typed in the query bar. */
  text: string;
  /** Ticked values per facet: their `refine` strings, in the order they were ticked. */
  selected: Partial<Record<FacetName, string[]>>;
}

/** One ticked value, for chips. */
export interface Selection {
  facet: FacetName;
  refine: string;
}

/** The combined query and where the typed text sits in it (character offsets). */
export interface Combined {
  query: string | null;
  /** Where the typed text (trimmed) starts and ends inside `query`; both 0 without text. */
  textStart: number;
  textEnd: number;
}

export function emptyState(text = ''): QueryState {
  return { text, selected: {} };
}

export function setText(state: QueryState, text: string): QueryState {
  return { ...state, text };
}

export function isSelected(state: QueryState, facet: FacetName, refine: string): boolean {
  return state.selected[facet]?.includes(refine) ?? false;
}

/** Ticks the value when it is not ticked, unticks it when it is. */
export function toggle(state: QueryState, facet: FacetName, refine: string): QueryState {
  const current = state.selected[facet] ?? [];
  const next = current.includes(refine) ? current.filter((r) => r !== refine) : [...current, refine];
  const selected = { ...state.selected };
  if (next.length) selected[facet] = next;
  else delete selected[facet];
  return { ...state, selected };
}

/** Unticks everything; the typed text goes too unless `keepText`. */
export function clear(state: QueryState, keepText = false): QueryState {
  return { text: keepText ? state.text : '', selected: {} };
}

/** Replaces all ticked values with one (e.g. "this person's photos"), keeping no typed text. */
export function only(facet: FacetName, refine: string): QueryState {
  return { text: '', selected: { [facet]: [refine] } };
}

/** Every ticked value, in facet order. */
export function selections(state: QueryState): Selection[] {
  const out: Selection[] = [];
  for (const facet of FACET_ORDER) {
    for (const refine of state.selected[facet] ?? []) out.push({ facet, refine });
  }
  return out;
}

export function hasFilters(state: QueryState): boolean {
  return state.text.trim() !== '' || selections(state).length > 0;
}

/**
 * Whether `text` has an `or` outside quotes and parentheses — then AND-ing anything beside it would
 * bind to its last alternative only (`and` binds tighter than `or`), so it must be parenthesised.
 */
export function hasTopLevelOr(text: string): boolean {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && /\S/.test(c) && (i === 0 || isBoundary(text[i - 1]))) {
      let j = i;
      while (j < text.length && !isBoundary(text[j]) && text[j] !== '"') j++;
      if (text.slice(i, j).toLowerCase() === 'or') return true;
      i = Math.max(j, i + 1);
      continue;
    }
    i++;
  }
  return false;
}

function isBoundary(c: string): boolean {
  return /\s/.test(c) || c === '(' || c === ')';
}

/** A facet's ticked values as one term: the value itself, or `(a or b)` when there are several. */
function facetTerm(refines: string[]): string {
  if (refines.length === 1) return refines[0];
  return '(' + refines.map((r) => (hasTopLevelSpace(r.trim()) ? `(${r.trim()})` : r.trim())).join(' or ') + ')';
}

/** Whether a refine is several terms (`age:>=20 age:<30`): a blank outside quotes and parentheses. */
function hasTopLevelSpace(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\s/.test(c)) return true;
  }
  return false;
}

/** The query for the state and where the typed text is in it; `query` is null for "all photos". */
export function combine(state: QueryState): Combined {
  const text = state.text.trim();
  const parts: string[] = [];
  let textStart = 0;
  if (text) {
    const wrap = hasTopLevelOr(text);
    parts.push(wrap ? `(${text})` : text);
    textStart = wrap ? 1 : 0;
  }
  const textEnd = textStart + text.length;
  for (const facet of FACET_ORDER) {
    const refines = state.selected[facet];
    if (refines?.length) parts.push(facetTerm(refines));
  }
  if (!parts.length) return { query: null, textStart: 0, textEnd: 0 };
  return { query: parts.join(' '), textStart, textEnd };
}

/** The state without one facet's ticks. */
export function withoutFacet(state: QueryState, facet: FacetName): QueryState {
  const selected = { ...state.selected };
  delete selected[facet];
  return { ...state, selected };
}

/**
 * For every facet with ticks, the query its counts come from: the current one without that facet's
 * own ticks. Ticks within a facet are or-ed, so a value's count is what ticking it would add beside
 * the other filters, not what it finds together with its ticked siblings.
 */
export function facetCountQueries(state: QueryState): { facet: FacetName; query: string | null }[] {
  return FACET_ORDER.filter((f) => state.selected[f]?.length).map((facet) => ({
    facet,
    query: combine(withoutFacet(state, facet)).query,
  }));
}

export function combinedQuery(state: QueryState): string | null {
  return combine(state).query;
}

/** A byte offset into the UTF-8 of `s` as a character (UTF-16 unit) offset. */
export function byteToCharOffset(s: string, byteOffset: number): number {
  if (byteOffset <= 0) return 0;
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    if (bytes >= byteOffset) return i;
    const code = s.codePointAt(i)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (code >= 0x10000) i++; // surrogate pair
  }
  return s.length;
}

/** A query error's byte span as a character range of the query (clamped, end ≥ start). */
export function queryErrorRange(query: string, span: { start: number; end: number }): { start: number; end: number } {
  const start = byteToCharOffset(query, span.start);
  const end = Math.max(start, byteToCharOffset(query, span.end));
  return { start, end };
}

/**
 * The part of the typed text an error's span (bytes, in the combined query) points at, as character
 * offsets into `state.text`; null when the error is outside the typed text (e.g. in a facet value).
 * A zero-width span (e.g. "the query ended") gives start === end.
 */
export function mapErrorToText(
  state: QueryState,
  span: { start: number; end: number },
): { start: number; end: number } | null {
  const { query, textStart, textEnd } = combine(state);
  if (query === null || !state.text.trim()) return null;
  const r = queryErrorRange(query, span);
  const overlaps =
    r.start === r.end ? r.start >= textStart && r.start <= textEnd : r.start < textEnd && r.end > textStart;
  if (!overlaps) return null;
  // The text was trimmed before it went into the query: shift back by its leading blanks.
  const lead = state.text.length - state.text.trimStart().length;
  const clamp = (p: number) => Math.min(Math.max(p, textStart), textEnd) - textStart + lead;
  return { start: clamp(r.start), end: clamp(r.end) };
}
