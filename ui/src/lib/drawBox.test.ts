import { describe, expect, it } from 'vitest';
import { boxBetween, boxStyle, finishedBox, MIN_SIDE_PX, toImage } from './drawBox';

const frame = { left: 100, top: 50, width: 400, height: 200 };

describe('drawBox', () => {
  it('maps screen pixels onto the image', () => {
    expect(toImage(100, 50, frame)).toEqual({ x: 0, y: 0 });
    expect(toImage(300, 150, frame)).toEqual({ x: 0.5, y: 0.5 });
    expect(toImage(500, 250, frame)).toEqual({ x: 1, y: 1 });
  });

  it('clamps a drag that leaves the image', () => {
    expect(toImage(0, 400, frame)).toEqual({ x: 0, y: 1 });
    expect(toImage(900, -20, frame)).toEqual({ x: 1, y: 0 });
  });

  it('does not divide by an empty frame', () => {
    expect(toImage(10, 10, { left: 0, top: 0, width: 0, height: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('makes the same box whichever way it was dragged', () => {
    const want = { x: 0.25, y: 0.5, w: 0.5, h: 0.25 };
    const a = { x: 0.25, y: 0.5 };
    const b = { x: 0.75, y: 0.75 };
    expect(boxBetween(a, b)).toEqual(want);
    expect(boxBetween(b, a)).toEqual(want);
    expect(boxBetween({ x: 0.75, y: 0.5 }, { x: 0.25, y: 0.75 })).toEqual(want);
  });

  it('drops a click or a sliver', () => {
    const a = toImage(200, 100, frame);
    expect(finishedBox(a, a, frame)).toBeNull();
    // Wide enough but too flat on screen.
    expect(finishedBox(a, toImage(260, 100 + MIN_SIDE_PX - 1, frame), frame)).toBeNull();
    expect(finishedBox(a, toImage(260, 100 + MIN_SIDE_PX, frame), frame)).not.toBeNull();
  });

  it('keeps a real box in image units', () => {
    const box = finishedBox(toImage(200, 100, frame), toImage(300, 200, frame), frame)!;
    expect(box.x).toBeCloseTo(0.25);
    expect(box.y).toBeCloseTo(0.25);
    expect(box.w).toBeCloseTo(0.25);
    expect(box.h).toBeCloseTo(0.5);
  });

  it('positions a box in percent', () => {
    expect(boxStyle({ x: 0.25, y: 0.5, w: 0.125, h: 0.75 })).toBe('left: 25%; top: 50%; width: 12.5%; height: 75%');
  });
});
