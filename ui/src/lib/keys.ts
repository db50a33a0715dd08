// Keyboard routing: overlays (photo view, dialogs) push a layer and get every key while on top; the
// view below (the grid) gets keys only when no layer is open. App.svelte feeds window keydowns here.

export type KeyHandler = (e: KeyboardEvent) => void;

const layers: KeyHandler[] = [];
let base: KeyHandler | null = null;

/** Adds a layer on top; returns its removal (use as an $effect cleanup). */
export function pushLayer(handler: KeyHandler): () => void {
  layers.push(handler);
  return () => {
    const i = layers.lastIndexOf(handler);
    if (i >= 0) layers.splice(i, 1);
  };
}

/** Sets the handler for keys when no layer is open; returns its removal. */
export function setBaseHandler(handler: KeyHandler): () => void {
  base = handler;
  return () => {
    if (base === handler) base = null;
  };
}

export function hasLayer(): boolean {
  return layers.length > 0;
}

/** Whether the key goes to a text field (then plain keys are typing, not commands). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || t.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  const type = (t as HTMLInputElement).type;
  return !['checkbox', 'radio', 'range', 'button', 'submit', 'color'].includes(type);
}

export function dispatchKey(e: KeyboardEvent): void {
  const top = layers[layers.length - 1];
  if (top) top(e);
  else base?.(e);
}
