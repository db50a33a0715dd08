// A cache of search result pages: which pages a range of result indexes needs, which are loaded or
// being fetched, and invalidation when the query or the catalogue changes. Pure (no fetching itself):
// the caller asks `missing`, calls `begin` per page, fetches, then `store` (or `fail`).

export class PageCache<T> {
  readonly pageSize: number;
  private pages = new Map<number, T[]>();
  /** Pages kept from before an invalidation (shown until their fresh copy arrives). */
  private stale = new Set<number>();
  /** Pages being fetched, with the generation they were asked for in. */
  private inFlight = new Map<number, number>();
  /** Bumped by every invalidation: answers of an older generation are dropped. */
  private generation = 0;

  constructor(pageSize = 300) {
    if (!(pageSize > 0)) throw new Error('page size must be positive');
    this.pageSize = Math.floor(pageSize);
  }

  pageOf(index: number): number {
    return Math.floor(index / this.pageSize);
  }

  /** The page numbers covering indexes [start, end), clamped to `total` when given. */
  pagesFor(start: number, end: number, total = Infinity): number[] {
    const s = Math.max(0, Math.floor(start));
    const e = Math.min(Math.floor(end), total);
    if (e <= s) return [];
    const out: number[] = [];
    for (let p = this.pageOf(s); p <= this.pageOf(e - 1); p++) out.push(p);
    return out;
  }

  /** Whether a page is loaded and current. */
  has(page: number): boolean {
    return this.pages.has(page) && !this.stale.has(page);
  }

  isInFlight(page: number): boolean {
    return this.inFlight.get(page) === this.generation;
  }

  /** Pages of [start, end) to fetch: neither loaded (fresh) nor already being fetched. */
  missing(start: number, end: number, total = Infinity): number[] {
    return this.pagesFor(start, end, total).filter((p) => !this.has(p) && !this.isInFlight(p));
  }

  /** Marks a page as being fetched; returns the token to pass to `store` or `fail`. */
  begin(page: number): number {
    this.inFlight.set(page, this.generation);
    return this.generation;
  }

  /** Stores a fetched page; false (and ignored) when the cache was invalidated since `begin`. */
  store(page: number, items: T[], token: number): boolean {
    if (token !== this.generation) return false;
    this.inFlight.delete(page);
    this.pages.set(page, items);
    this.stale.delete(page);
    return true;
  }

  /** A fetch failed: the page may be asked for again. */
  fail(page: number, token: number): void {
    if (this.inFlight.get(page) === token) this.inFlight.delete(page);
  }

  /** The item at a result index, if its page is loaded (possibly stale). */
  get(index: number): T | undefined {
    const page = this.pages.get(this.pageOf(index));
    return page?.[index - this.pageOf(index) * this.pageSize];
  }

  /**
   * Forgets every page. With `keepStale`, loaded pages stay readable through `get` (no flicker while
   * the same view refreshes) but count as missing until fetched again.
   */
  invalidate(keepStale = false): void {
    this.generation++;
    this.inFlight.clear();
    if (keepStale) {
      for (const p of this.pages.keys()) this.stale.add(p);
    } else {
      this.pages.clear();
      this.stale.clear();
    }
  }

  /** Loaded items in result order from index 0 while contiguous, at most `limit`. */
  leading(limit: number): T[] {
    const out: T[] = [];
    for (let p = 0; out.length < limit; p++) {
      const page = this.pages.get(p);
      if (!page) break;
      for (const item of page) {
        if (out.length >= limit) break;
        out.push(item);
      }
      if (page.length < this.pageSize) break;
    }
    return out;
  }

  /** Every loaded item (any page, in page order). */
  loaded(): T[] {
    return [...this.pages.keys()].sort((a, b) => a - b).flatMap((p) => this.pages.get(p)!);
  }
}
