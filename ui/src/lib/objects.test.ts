import { describe, expect, it } from 'vitest';
import { objectRows, personRows } from './objects';

const o = (id: number, cls: string, score: number, x = 0, face_id: number | null = null, carrier_id: number | null = null) => ({
  id,
  class: cls,
  score,
  x,
  y: 0,
  w: 0.1,
  h: 0.1,
  face_id,
  carrier_id,
  wearing: cls === 'person' ? [{ name: 'suit', score: 0.5 }, { name: 'tie', score: 0.1 }] : [],
});

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

describe('personRows', () => {
  it('lists bodies left to right with their face and what they carry', () => {
    const rows = personRows([
      o(1, 'person', 0.9, 0.6, 11),
      o(2, 'person', 0.8, 0.1),
      o(3, 'handbag', 0.5, 0.65, null, 1),
      o(4, 'umbrella', 0.5, 0.6, null, 1),
      o(5, 'suitcase', 0.5, 0.3),
    ]);
    expect(rows).toEqual([
      { body: 2, face: null, carrying: [], wearing: ['suit'] },
      { body: 1, face: 11, carrying: ['handbag', 'umbrella'], wearing: ['suit'] },
    ]);
  });
});
