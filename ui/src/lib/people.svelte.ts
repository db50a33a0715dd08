// The people list (reactive): loaded on demand, refreshed when the catalogue changes.

import { api, errorMessage, type Person } from './api';

export class PeopleStore {
  list = $state.raw<Person[]>([]);
  showHidden = $state(false);
  loaded = $state(false);
  error = $state<string | null>(null);
  private seq = 0;

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    try {
      const list = await api.people(this.showHidden);
      if (seq !== this.seq) return;
      this.list = list;
      this.error = null;
      this.loaded = true;
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    }
  }

  byId(id: number): Person | undefined {
    return this.list.find((p) => p.id === id);
  }

  /** Named people, by name (for pickers). */
  get named(): Person[] {
    return this.list
      .filter((p) => p.name)
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
  }
}

export const people = new PeopleStore();

/** A person's display name. */
export function personName(p: { id: number; name: string | null } | undefined | null): string {
  return p?.name || 'Unnamed';
}
