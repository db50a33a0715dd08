// The Duplicates view's data (reactive): the groups and the stacks, loaded when the view is shown
// and again when the catalogue changes while it is; which photo the user keeps in each group.

import { api, errorMessage, type DuplicateGroup, type DuplicateStack } from './api';
import { groupKey } from './duplicates';

export class DuplicatesStore {
  groups = $state.raw<DuplicateGroup[]>([]);
  stacks = $state.raw<DuplicateStack[]>([]);
  /** Bursts (one scene seconds apart) are grouped too. */
  bursts = $state(true);
  loaded = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);
  /** The photo the user chose to keep, per group key (the suggested one when absent). */
  kept = $state.raw<Record<string, number>>({});
  private seq = 0;

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    this.loading = true;
    try {
      const found = await api.duplicates(this.bursts);
      if (seq !== this.seq) return;
      this.groups = found.groups;
      this.stacks = found.stacks;
      this.error = null;
      this.loaded = true;
    } catch (e) {
      if (seq === this.seq) this.error = errorMessage(e);
    } finally {
      if (seq === this.seq) this.loading = false;
    }
  }

  /** The photo kept in `group`: the user's choice, else the suggested one. */
  keep(group: DuplicateGroup): number {
    const chosen = this.kept[groupKey(group)];
    return group.members.some((m) => m.photo.id === chosen) ? chosen : group.members[0].photo.id;
  }

  choose(group: DuplicateGroup, photoId: number): void {
    this.kept = { ...this.kept, [groupKey(group)]: photoId };
  }

  /** How many photos could go (every group's members but the one kept). */
  get others(): number {
    return this.groups.reduce((n, g) => n + g.members.length - 1, 0);
  }
}

export const duplicates = new DuplicatesStore();
