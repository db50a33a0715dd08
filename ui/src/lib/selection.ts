// Photo selection in the grid: a set of ids, or "every result" (Ctrl+A) minus some exceptions, so that
// selecting 100 000 photos costs nothing. Click, Ctrl-click and Shift-click rules. Pure and immutable.

export type Selection =
  | { all: false; ids: ReadonlySet<number>; anchor: number }
  | { all: true; except: ReadonlySet<number>; anchor: number };

export const NONE: Selection = { all: false, ids: new Set(), anchor: -1 };

export interface ClickMods {
  /** Ctrl or Cmd: toggle this photo. */
  toggle: boolean;
  /** Shift: select from the anchor to this photo. */
  range: boolean;
}

export function isSelected(sel: Selection, id: number): boolean {
  return sel.all ? !sel.except.has(id) : sel.ids.has(id);
}

export function selectedCount(sel: Selection, total: number): number {
  return sel.all ? Math.max(0, total - sel.except.size) : sel.ids.size;
}

export function isEmpty(sel: Selection, total: number): boolean {
  return selectedCount(sel, total) === 0;
}

export function selectAll(): Selection {
  return { all: true, except: new Set(), anchor: -1 };
}

/** Only this photo. */
export function selectOne(id: number, index: number): Selection {
  return { all: false, ids: new Set([id]), anchor: index };
}

/** Adds or removes one photo. */
export function toggleOne(sel: Selection, id: number, index: number): Selection {
  if (sel.all) {
    const except = new Set(sel.except);
    if (except.has(id)) except.delete(id);
    else except.add(id);
    return { all: true, except, anchor: index };
  }
  const ids = new Set(sel.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { all: false, ids, anchor: index };
}

/**
 * Selects indexes from the anchor to `index` (inclusive), by their ids from `idAt` (indexes whose
 * hit is not loaded are skipped). With `add`, the range is added to what is selected.
 */
export function selectRange(
  sel: Selection,
  index: number,
  idAt: (i: number) => number | undefined,
  add = false,
): Selection {
  const anchor = sel.anchor >= 0 ? sel.anchor : index;
  const ids = new Set<number>(add && !sel.all ? sel.ids : []);
  const [a, b] = anchor <= index ? [anchor, index] : [index, anchor];
  for (let i = a; i <= b; i++) {
    const id = idAt(i);
    if (id !== undefined) ids.add(id);
  }
  return { all: false, ids, anchor };
}

/** What a click on the photo at `index` does. */
export function click(
  sel: Selection,
  id: number,
  index: number,
  mods: ClickMods,
  idAt: (i: number) => number | undefined,
): Selection {
  if (mods.range) return selectRange(sel, index, idAt, mods.toggle);
  if (mods.toggle) return toggleOne(sel, id, index);
  return selectOne(id, index);
}

/** The explicit ids (null when "all results" is selected: use the query instead). */
export function explicitIds(sel: Selection): number[] | null {
  return sel.all ? null : [...sel.ids];
}
