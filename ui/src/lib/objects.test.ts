import { describe, expect, it } from 'vitest';
import { objectRows } from './objects';

const o = (id: number, cls: string, score: number) => ({ id, class: cls, score, x: 0, y: 0, w: 0.1, h: 0.1 });

describe('objectRows', () => {
  it('counts each class once, best class first', () => {
    const rows = objectRows([o(1, 'person', 0.6), o(2, 'dog', 0.9), o(3, 'person', 0.8), o(4, 'cat', 0.6)]);
    expect(rows).toEqual([
      { class: 'dog', count: 1, best: 0.9 },
      { class: 'person', count: 2, best: 0.8 },
      { class: 'cat', count: 1, best: 0.6 },
    ]);
  });

  it('is empty for no objects', () => {
    expect(objectRows([])).toEqual([]);
  });
});
