// Layout math of the virtualised photo grid: rows (month headers and rows of cells) with their y
// offsets, which rows a scroll position shows, and index ↔ row ↔ position for keyboard navigation.
// Pure: no DOM. 100 000 photos lay out in a few milliseconds.

import type { Group } from './api';

export interface Row {
  kind: 'header' | 'cells';
  /** Top of the row, in px from the top of the grid content. */
  y: number;
  height: number;
  /** Photo indexes in the row, [start, end); for a header, its group's first index (start === end). */
  start: number;
  end: number;
  /** The group the row belongs to (index into the groups; 0 without groups). */
  group: number;
}

export interface Layout {
  columns: number;
  /** The width (and height) of one cell, stretched to fill the width. */
  cell: number;
  gap: number;
  rows: Row[];
  /** Total content height in px. */
  height: number;
  /** Number of photos. */
  count: number;
  /** Group keys ("2024-11", "" for no date); empty without groups. */
  groupKeys: string[];
}

/** How many cells of about `cellSize` px fit in `width` px with `gap` px between them (at least 1). */
export function columnsFor(width: number, cellSize: number, gap = 0): number {
  if (!(width > 0) || !(cellSize > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (cellSize + gap)));
}

/**
 * Lays out `count` photos (a number) or month groups in rows of `columns` cells. With groups, each
 * group starts with a header row of `headerHeight` px and its own rows; the last row of a group may
 * be partial. There is `gap` px between cell rows (and below the last row of each group).
 */
export function layout(
  groupsOrCount: Group[] | number,
  width: number,
  cellSize: number,
  gap = 0,
  headerHeight = 0,
): Layout {
  const columns = columnsFor(width, cellSize, gap);
  const cell = Math.max(1, (Math.max(width, cellSize) - gap * (columns - 1)) / columns);
  const groups: { key: string | null; count: number }[] =
    typeof groupsOrCount === 'number'
      ? [{ key: null, count: Math.max(0, Math.floor(groupsOrCount)) }]
      : groupsOrCount.map((g) => ({ key: g.key, count: g.count }));
  const rows: Row[] = [];
  let y = 0;
  let index = 0;
  groups.forEach((g, gi) => {
    if (g.count <= 0) return;
    if (g.key !== null) {
      rows.push({ kind: 'header', y, height: headerHeight, start: index, end: index, group: gi });
      y += headerHeight;
    }
    const end = index + g.count;
    for (let start = index; start < end; start += columns) {
      rows.push({ kind: 'cells', y, height: cell, start, end: Math.min(start + columns, end), group: gi });
      y += cell + gap;
    }
    index = end;
  });
  return {
    columns,
    cell,
    gap,
    rows,
    height: Math.max(0, y),
    count: index,
    groupKeys: typeof groupsOrCount === 'number' ? [] : groupsOrCount.map((g) => g.key),
  };
}

/** The first row whose bottom is below `y` (binary search); rows.length when none. */
export function rowAtY(l: Layout, y: number): number {
  let lo = 0;
  let hi = l.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = l.rows[mid];
    if (r.y + r.height + (r.kind === 'cells' ? l.gap : 0) <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Rows [first, last) to render for the viewport, with `overscan` rows either side (clamped). */
export function visibleRows(
  l: Layout,
  scrollTop: number,
  viewportHeight: number,
  overscan = 2,
): { first: number; last: number } {
  if (!l.rows.length) return { first: 0, last: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.min(rowAtY(l, top), l.rows.length - 1);
  let last = first;
  const bottom = top + Math.max(0, viewportHeight);
  while (last < l.rows.length && l.rows[last].y < bottom) last++;
  last = Math.max(last, first + 1);
  return { first: Math.max(0, first - overscan), last: Math.min(l.rows.length, last + overscan) };
}

/** The photo index range [start, end) covered by rows [first, last). */
export function indexRange(l: Layout, first: number, last: number): { start: number; end: number } {
  let start = l.count;
  let end = 0;
  for (let i = first; i < last; i++) {
    const r = l.rows[i];
    if (r.kind !== 'cells') continue;
    start = Math.min(start, r.start);
    end = Math.max(end, r.end);
  }
  return start < end ? { start, end } : { start: 0, end: 0 };
}

/** The cells row holding photo `index` (binary search), or -1 when out of range. */
export function rowOfIndex(l: Layout, index: number): number {
  if (index < 0 || index >= l.count) return -1;
  // The last row starting at or before `index`: a header shares its start with the cells row after
  // it, so this is always a cells row.
  let lo = 0;
  let hi = l.rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (l.rows[mid].start <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The photo index at a row and column, or null (header, past the row's end). */
export function indexAt(l: Layout, row: number, column: number): number | null {
  const r = l.rows[row];
  if (!r || r.kind !== 'cells' || column < 0) return null;
  const i = r.start + column;
  return i < r.end ? i : null;
}

/** Where a photo's cell is: its row, column and top-left position in px. */
export function cellPosition(l: Layout, index: number): { row: number; column: number; x: number; y: number } | null {
  const row = rowOfIndex(l, index);
  if (row < 0) return null;
  const column = index - l.rows[row].start;
  return { row, column, x: column * (l.cell + l.gap), y: l.rows[row].y };
}

export type Direction = 'left' | 'right' | 'up' | 'down' | 'pageup' | 'pagedown' | 'home' | 'end';

/**
 * The index the focus moves to from `index`: left/right through the result order, up/down to the same
 * column of the previous/next cells row (the last cell when that row is shorter), page by `pageRows`.
 */
export function moveIndex(l: Layout, index: number, dir: Direction, pageRows = 1): number {
  if (l.count === 0) return -1;
  const clampI = (i: number) => Math.min(l.count - 1, Math.max(0, i));
  if (index < 0 || index >= l.count) return 0;
  switch (dir) {
    case 'left':
      return clampI(index - 1);
    case 'right':
      return clampI(index + 1);
    case 'home':
      return 0;
    case 'end':
      return l.count - 1;
  }
  const steps = dir === 'pageup' || dir === 'pagedown' ? Math.max(1, pageRows) : 1;
  const step = dir === 'up' || dir === 'pageup' ? -1 : 1;
  let row = rowOfIndex(l, index);
  const column = index - l.rows[row].start;
  for (let n = 0; n < steps; n++) {
    let next = row + step;
    while (next >= 0 && next < l.rows.length && l.rows[next].kind !== 'cells') next += step;
    if (next < 0 || next >= l.rows.length) break;
    row = next;
  }
  const r = l.rows[row];
  return Math.min(r.start + column, r.end - 1);
}

/** The scrollTop that brings row `row` fully into a viewport, or the current one if it is visible. */
export function scrollToRow(l: Layout, row: number, scrollTop: number, viewportHeight: number, margin = 0): number {
  const r = l.rows[row];
  if (!r) return scrollTop;
  // Keep a group's header in view when scrolling up to its first row.
  const prev = l.rows[row - 1];
  const top = (prev && prev.kind === 'header' ? prev.y : r.y) - margin;
  const bottom = r.y + r.height + margin;
  if (top < scrollTop) return Math.max(0, top);
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
