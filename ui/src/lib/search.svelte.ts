// The current search: query state (typed text + ticked facets), sort, the result (total, month groups,
// facets) and its hits, fetched page by page on demand through a PageCache. Reactive (Svelte runes).

import {
  api,
  errorMessage,
  type CommandError,
  type FacetName,
  type Facets,
  type Group,
  type Hit,
  type QueryError,
  type Sort,
} from './api';
import { PageCache } from './pages';
import { withOwnCounts } from './facets';
import { clear, combine, emptyState, facetCountQueries, only, setText, toggle, type QueryState } from './queryBuilder';
import { similarQuery, sortFor } from './similar';

export const PAGE_SIZE = 300;

export class SearchStore {
  /** What the user typed and ticked (the query bar shows `qs.text`). */
  qs = $state.raw<QueryState>(emptyState());
  sort = $state<Sort>('taken');

  total = $state(0);
  groups = $state.raw<Group[] | null>(null);
  facets = $state.raw<Facets | null>(null);
  /** Why nothing was found (terms that find nothing, with the nearest known value). */
  notes = $state.raw<string[]>([]);
  /** The query did not parse; the previous result stays on screen. */
  queryError = $state.raw<QueryError | null>(null);
  /** The query state the error belongs to (to map its span to the typed text). */
  errorState = $state.raw<QueryState | null>(null);
  /** Any other failure of the search command. */
  failure = $state<string | null>(null);
  loading = $state(false);
  /** A first result has arrived. */
  ready = $state(false);
  /** Bumped whenever hits arrive, so readers of `hit()` update. */
  version = $state(0);
  /** Bumped when a new query replaces the result (the grid goes back to the top). */
  resultId = $state(0);

  private cache = new PageCache<Hit>(PAGE_SIZE);
  private seq = 0;
  /** The query and sort the cached pages belong to. */
  private shown: { query: string | null; sort: Sort } = { query: null, sort: 'taken' };

  /** The combined query (and where the typed text is in it) for the current state. */
  get combined() {
    return combine(this.qs);
  }

  /** The query the shown result is for (may lag behind the state while a search runs or fails). */
  get shownQuery(): string | null {
    return this.shown.query;
  }

  /**
   * Runs the search for the current state. `keepScroll` refreshes the same view (catalogue changed):
   * old hits stay visible until their pages come again.
   */
  async run(keepScroll = false): Promise<void> {
    const seq = ++this.seq;
    const state = this.qs;
    const query = combine(state).query;
    const sort = sortFor(this.sort, query);
    this.loading = true;
    try {
      // The result with its facet counts, and for each facet with ticks its own counts (one search
      // each, without that facet's ticks).
      const [page, own] = await Promise.all([
        api.search({
          query,
          sort,
          offset: 0,
          limit: PAGE_SIZE,
          facets: true,
          groups: true, // the backend sends month groups for sort "taken" only
        }),
        Promise.all(
          // Failures fall back to the result's own counts; a query error is the main search's to report.
          facetCountQueries(state).map(({ facet, query }) =>
            api
              .search({ query, sort, offset: 0, limit: 0, facets: true, groups: false })
              .then((r) => (r.facets ? [[facet, r.facets[facet]] as const] : []))
              .catch(() => []),
          ),
        ),
      ]);
      if (seq !== this.seq) return;
      const same = keepScroll && query === this.shown.query && sort === this.shown.sort;
      this.shown = { query, sort };
      this.cache.invalidate(same);
      this.cache.store(0, page.hits, this.cache.begin(0));
      this.total = page.total;
      this.groups = page.groups;
      this.notes = page.notes;
      this.facets = page.facets && withOwnCounts(page.facets, Object.fromEntries(own.flat()));
      this.queryError = null;
      this.errorState = null;
      this.failure = null;
      this.ready = true;
      if (!same) this.resultId++;
      this.version++;
    } catch (e) {
      if (seq !== this.seq) return;
      const q = (e as CommandError | null)?.query;
      if (q) {
        this.queryError = q;
        this.errorState = state;
        this.failure = null;
      } else {
        this.failure = errorMessage(e);
      }
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  setText(text: string): void {
    if (text === this.qs.text) return;
    this.qs = setText(this.qs, text);
    this.run();
  }

  toggleFacet(facet: FacetName, refine: string): void {
    this.qs = toggle(this.qs, facet, refine);
    this.run();
  }

  /** Clears the ticked facets and (unless `keepText`) the typed text. */
  clearFilters(keepText = false): void {
    this.qs = clear(this.qs, keepText);
    this.run();
  }

  /** Shows only the photos matching one facet value (e.g. a person's). */
  showOnly(facet: FacetName, refine: string): void {
    this.qs = only(facet, refine);
    this.run();
  }

  /** Shows the photos like one photo, most alike first (the query `similar:ID`, nothing ticked). */
  showSimilar(photoId: number): void {
    this.qs = emptyState(similarQuery(photoId));
    this.sort = 'similar';
    this.run();
  }

  setSort(sort: Sort): void {
    if (sort === this.sort) return;
    this.sort = sort;
    this.run();
  }

  /** Makes sure the hits of result indexes [start, end) are loaded or on their way. */
  ensure(start: number, end: number): void {
    const { query, sort } = this.shown;
    for (const p of this.cache.missing(start, end, this.total)) {
      const token = this.cache.begin(p);
      api
        .search({ query, sort, offset: p * PAGE_SIZE, limit: PAGE_SIZE, facets: false, groups: false })
        .then((r) => {
          if (this.cache.store(p, r.hits, token)) this.version++;
        })
        .catch(() => this.cache.fail(p, token));
    }
  }

  /** The hit at a result index, when loaded (reactive). */
  hit(index: number): Hit | undefined {
    void this.version;
    return this.cache.get(index);
  }

  /** The first `n` hits that are loaded (for the export preview). */
  leading(n: number): Hit[] {
    void this.version;
    return this.cache.leading(n);
  }

  /** Every id of the current result, fetched in large pages (for "all results" minus a few). */
  async allIds(): Promise<number[]> {
    const { query, sort } = this.shown;
    const ids: number[] = [];
    const limit = 5000;
    for (let offset = 0; offset < this.total; offset += limit) {
      const r = await api.search({ query, sort, offset, limit, facets: false, groups: false });
      for (const h of r.hits) ids.push(h.id);
      if (r.hits.length < limit) break;
    }
    return ids;
  }

  /** Every loaded hit (any page). */
  loaded(): Hit[] {
    void this.version;
    return this.cache.loaded();
  }
}

export const search = new SearchStore();
