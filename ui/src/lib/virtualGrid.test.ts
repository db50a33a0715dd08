import { describe, expect, it } from 'vitest';
import {
  cellPosition,
  columnsFor,
  indexAt,
  indexRange,
  layout,
  moveIndex,
  rowAtY,
  rowOfIndex,
  scrollToRow,
  visibleRows,
} from './virtualGrid';

describe('columnsFor', () => {
  it('fits as many cells as the width allows, at least one', () => {
    expect(columnsFor(1000, 180)).toBe(5);
    expect(columnsFor(1080, 180)).toBe(6);
    expect(columnsFor(1079, 180)).toBe(5);
    expect(columnsFor(100, 180)).toBe(1);
    expect(columnsFor(0, 180)).toBe(1);
  });

  it('accounts for the gaps between cells', () => {
    // 6 × 180 + 5 × 4 = 1100
    expect(columnsFor(1100, 180, 4)).toBe(6);
    expect(columnsFor(1099, 180, 4)).toBe(5);
  });
});

describe('layout without groups', () => {
  it('makes full rows and a partial last row', () => {
    const l = layout(11, 1000, 200, 0); // 5 columns of 200
    expect(l.columns).toBe(5);
    expect(l.cell).toBe(200);
    expect(l.rows.map((r) => [r.start, r.end])).toEqual([
      [0, 5],
      [5, 10],
      [10, 11],
    ]);
    expect(l.rows.map((r) => r.y)).toEqual([0, 200, 400]);
    expect(l.height).toBe(600);
    expect(l.count).toBe(11);
  });

  it('stretches cells to fill the width and adds gaps to the height', () => {
    const l = layout(10, 1010, 200, 10); // (1010 + 10) / 210 → 4 columns
    expect(l.columns).toBe(4);
    expect(l.cell).toBeCloseTo((1010 - 30) / 4);
    expect(l.rows).toHaveLength(3);
    expect(l.rows[1].y).toBeCloseTo(l.cell + 10);
    expect(l.height).toBeCloseTo(3 * (l.cell + 10));
  });

  it('has no rows and no height for zero items', () => {
    const l = layout(0, 1000, 180, 4, 40);
    expect(l.rows).toEqual([]);
    expect(l.height).toBe(0);
    expect(visibleRows(l, 0, 800)).toEqual({ first: 0, last: 0 });
    expect(rowOfIndex(l, 0)).toBe(-1);
    expect(moveIndex(l, 0, 'right')).toBe(-1);
    expect(layout([], 1000, 180).rows).toEqual([]);
  });
});

describe('layout with groups', () => {
  const groups = [
    { key: '2024-11', count: 7 },
    { key: '2024-10', count: 3 },
    { key: '', count: 5 },
  ];
  const l = layout(groups, 1000, 200, 0, 40); // 5 columns

  it('starts each group with a header and ends it with a partial row', () => {
    expect(l.rows.map((r) => `${r.kind[0]}${r.start}-${r.end}`)).toEqual([
      'h0-0',
      'c0-5',
      'c5-7',
      'h7-7',
      'c7-10',
      'h10-10',
      'c10-15',
    ]);
    expect(l.rows.map((r) => r.group)).toEqual([0, 0, 0, 1, 1, 2, 2]);
    expect(l.groupKeys).toEqual(['2024-11', '2024-10', '']);
  });

  it('stacks rows: headers take headerHeight, cell rows the cell size', () => {
    expect(l.rows.map((r) => r.y)).toEqual([0, 40, 240, 440, 480, 680, 720]);
    expect(l.height).toBe(920);
    expect(l.count).toBe(15);
  });

  it('skips empty groups', () => {
    const g = layout([{ key: '2024-01', count: 0 }, { key: '', count: 2 }], 1000, 200, 0, 40);
    expect(g.rows.map((r) => r.kind)).toEqual(['header', 'cells']);
    expect(g.rows[0].group).toBe(1);
  });

  it('maps indexes to cells rows (never to a header) and back', () => {
    expect(rowOfIndex(l, 0)).toBe(1);
    expect(rowOfIndex(l, 6)).toBe(2);
    expect(rowOfIndex(l, 7)).toBe(4);
    expect(rowOfIndex(l, 14)).toBe(6);
    expect(rowOfIndex(l, 15)).toBe(-1);
    expect(indexAt(l, 4, 2)).toBe(9);
    expect(indexAt(l, 4, 3)).toBeNull(); // past a partial row
    expect(indexAt(l, 3, 0)).toBeNull(); // a header
    for (let i = 0; i < l.count; i++) {
      const p = cellPosition(l, i)!;
      expect(indexAt(l, p.row, p.column)).toBe(i);
      expect(p.y).toBe(l.rows[p.row].y);
      expect(p.x).toBe(p.column * 200);
    }
  });

  it('moves up and down by column across headers, clamping to short rows', () => {
    expect(moveIndex(l, 3, 'down')).toBe(6); // row 5-7 has only columns 0-1
    expect(moveIndex(l, 6, 'down')).toBe(8); // next group, same column
    expect(moveIndex(l, 8, 'up')).toBe(6);
    expect(moveIndex(l, 1, 'up')).toBe(1); // first row stays
    expect(moveIndex(l, 12, 'down')).toBe(12); // last row stays
    expect(moveIndex(l, 7, 'left')).toBe(6);
    expect(moveIndex(l, 14, 'right')).toBe(14);
    expect(moveIndex(l, 0, 'pagedown', 3)).toBe(10);
    expect(moveIndex(l, 5, 'end')).toBe(14);
    expect(moveIndex(l, 5, 'home')).toBe(0);
  });
});

describe('visibleRows', () => {
  const l = layout(1000, 1000, 200, 0); // 5 columns, 200 rows of 200 px

  it('shows the top rows at the top', () => {
    expect(visibleRows(l, 0, 800, 0)).toEqual({ first: 0, last: 4 });
    expect(visibleRows(l, 0, 800, 2)).toEqual({ first: 0, last: 6 });
  });

  it('shows the rows around the middle with overscan both ways', () => {
    expect(visibleRows(l, 10_000, 800, 0)).toEqual({ first: 50, last: 54 });
    expect(visibleRows(l, 10_100, 800, 0)).toEqual({ first: 50, last: 55 });
    expect(visibleRows(l, 10_000, 800, 3)).toEqual({ first: 47, last: 57 });
  });

  it('clamps the overscan at the end', () => {
    expect(visibleRows(l, l.height - 800, 800, 5)).toEqual({ first: 191, last: 200 });
    // Scrolled past the end (e.g. after the result shrank): still the last row.
    expect(visibleRows(l, l.height + 5000, 800, 1)).toEqual({ first: 198, last: 200 });
  });

  it('gives the photo index range of the rows', () => {
    const { first, last } = visibleRows(l, 10_000, 800, 0);
    expect(indexRange(l, first, last)).toEqual({ start: 250, end: 270 });
  });

  it('finds the row at a y offset, counting the gap below a row as part of it', () => {
    const g = layout(20, 1000, 200, 10, 0); // cells ≈ 192 px + 10 px gap
    expect(rowAtY(g, 0)).toBe(0);
    expect(rowAtY(g, g.cell + 5)).toBe(0);
    expect(rowAtY(g, g.cell + 10)).toBe(1);
  });
});

describe('scrollToRow', () => {
  const l = layout([{ key: '2024-01', count: 50 }], 1000, 200, 0, 40);

  it('keeps the scroll position when the row is visible', () => {
    expect(scrollToRow(l, 2, 100, 800)).toBe(100);
  });

  it('scrolls up to the row, or to its group header for a group’s first row', () => {
    expect(scrollToRow(l, 5, 2000, 800)).toBe(l.rows[5].y);
    expect(scrollToRow(l, 1, 500, 800)).toBe(0);
  });

  it('scrolls down until the row is fully visible', () => {
    const r = l.rows[8];
    expect(scrollToRow(l, 8, 0, 800)).toBe(r.y + r.height - 800);
  });
});

describe('100 000 photos', () => {
  const groups = Array.from({ length: 120 }, (_, i) => ({
    key: `20${String(10 + Math.floor(i / 12)).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}`,
    count: i === 119 ? 100_000 - 119 * 833 : 833,
  }));

  it('lays out quickly', () => {
    const t0 = performance.now();
    const l = layout(groups, 1400, 180, 4, 36);
    const ms = performance.now() - t0;
    expect(l.count).toBe(100_000);
    expect(ms).toBeLessThan(100);
    const flat = layout(100_000, 1400, 180, 4);
    expect(flat.rows).toHaveLength(Math.ceil(100_000 / flat.columns));
  });

  it('renders a bounded number of rows anywhere in the result', () => {
    const l = layout(groups, 1400, 180, 4, 36);
    for (const top of [0, l.height / 3, l.height / 2, l.height - 800, l.height]) {
      const { first, last } = visibleRows(l, top, 800, 3);
      expect(last - first).toBeGreaterThan(0);
      expect(last - first).toBeLessThan(30);
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) visibleRows(l, top, 800, 3);
      expect(performance.now() - t0).toBeLessThan(50);
    }
  });

  it('finds the row of any index by binary search', () => {
    const l = layout(groups, 1400, 180, 4, 36);
    for (const i of [0, 1, 832, 833, 50_000, 99_999]) {
      const r = l.rows[rowOfIndex(l, i)];
      expect(r.kind).toBe('cells');
      expect(i >= r.start && i < r.end).toBe(true);
    }
  });
});
