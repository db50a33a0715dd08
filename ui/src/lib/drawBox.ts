// Drawing a face box on the photo: pointer positions become a box normalised to the shown (upright)
// image — the shape `add_face` takes — clamped to the image, in whichever direction it was dragged.
// Pure.

import type { FaceBox } from './api';

export interface Point {
  x: number;
  y: number;
}

/** Where the image is on screen (a DOMRect's fields). */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The smallest box kept, in screen pixels on each side: a click or a slip of the hand is not a face. */
export const MIN_SIDE_PX = 8;

/** A pointer position (client pixels) as a point on the image, 0..1 each way, clamped to it. */
export function toImage(clientX: number, clientY: number, frame: Frame): Point {
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    x: frame.width > 0 ? clamp((clientX - frame.left) / frame.width) : 0,
    y: frame.height > 0 ? clamp((clientY - frame.top) / frame.height) : 0,
  };
}

/** The box between two image points (any two opposite corners). */
export function boxBetween(a: Point, b: Point): FaceBox {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
}

/** The drawn box, or null when it is smaller than `MIN_SIDE_PX` on screen on either side. */
export function finishedBox(a: Point, b: Point, frame: Frame): FaceBox | null {
  const box = boxBetween(a, b);
  const tooSmall = (px: number) => px < MIN_SIDE_PX - 1e-6; // rounding must not drop an 8 px side
  if (tooSmall(box.w * frame.width) || tooSmall(box.h * frame.height)) return null;
  return box;
}

/** CSS for a box over the image, in percent of the frame. */
export function boxStyle(box: FaceBox): string {
  const pct = (v: number) => `${v * 100}%`;
  return `left: ${pct(box.x)}; top: ${pct(box.y)}; width: ${pct(box.w)}; height: ${pct(box.h)}`;
}
